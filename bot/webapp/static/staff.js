// The staff Mini App's Staff part (admins): everyone with a staff role, removing one role
// after a confirmation, and a form to appoint a tutor of chosen projects or an admin (by
// Telegram id, or chosen among people who wrote to the bot). Texts come from the server.
"use strict";

window.QuartiereStaff = (() => {
  const part = document.getElementById("staff");
  const list = document.getElementById("staff-list");
  const message = document.getElementById("staff-message");
  const stale = document.getElementById("staff-stale");
  const removeError = document.getElementById("staff-remove-error");
  const confirm = document.getElementById("staff-confirm");
  const form = document.getElementById("staff-form");
  const formError = document.getElementById("staff-form-error");
  const found = document.getElementById("staff-found");
  let initData = "";
  let texts = {};
  let removing = null; // {telegram_id, role, button}

  function api(path) {
    return new URL(`api/staff/${path}`, document.baseURI).toString();
  }

  const { element, fill } = window.QuartiereCommon;

  function call(path, body) {
    return window.QuartiereCommon.request(api(path), initData, body);
  }

  function useTexts() {
    for (const node of part.querySelectorAll("[data-staff-text]")) {
      node.textContent = texts[node.dataset.staffText] || "";
    }
  }

  function clearErrors() {
    formError.textContent = "";
    removeError.textContent = "";
    stale.hidden = true;
    for (const node of form.querySelectorAll(".field .error")) node.textContent = "";
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  function showPeople(people) {
    list.after(confirm); // back out of the list before the list is drawn afresh
    list.replaceChildren();
    for (const person of people) {
      const roles = person.roles.map((held) => {
        const what = held.scopes.length ? `${held.name}: ${held.scopes.join(", ")}` : held.name;
        const item = element("li", {}, [element("span", { textContent: what })]);
        if (held.removable) {
          const names = { role: held.name, person: person.name };
          const button = element("button", { type: "button", className: "button danger",
            textContent: texts.remove });
          button.setAttribute("aria-label", fill(texts.remove_label, names));
          button.addEventListener("click", () => askToRemove(person, held, button));
          item.append(button);
        }
        return item;
      });
      list.append(element("li", {}, [element("strong", { textContent: person.name }),
        element("ul", {}, roles)]));
    }
    if (!people.length) list.append(element("li", { className: "hint", textContent: texts.none }));
  }

  function showChoices(body) {
    const role = form.elements.role;
    const chosen = role.value || "tutor";
    role.replaceChildren(...body.role_choices.map((choice) =>
      element("option", { value: choice.role, textContent: choice.name })));
    role.value = chosen;
    const box = document.getElementById("staff-projects");
    const ticked = new Set([...box.querySelectorAll("input:checked")].map((box) => box.value));
    box.replaceChildren(...body.projects.map((project) => {
      const input = element("input", { type: "checkbox", name: "projects", value: project.code,
        id: `staff-project-${project.code}`, checked: ticked.has(project.code) });
      return element("div", {}, [input, element("label", { htmlFor: input.id,
        textContent: `${project.title} (${project.code})` })]);
    }));
    showProjects();
  }

  function showProjects() {
    document.getElementById("staff-projects-part").hidden = form.elements.role.value !== "tutor";
  }

  function show(body, note) {
    texts = body.texts;
    useTexts();
    showPeople(body.people);
    showChoices(body);
    confirm.hidden = true;
    message.textContent = note || "";
    part.hidden = false;
  }

  async function load(note) {
    const answer = await call("people");
    if (answer.status === 200) show(answer.body, note);
  }

  function refused(answer, where) {
    if (answer.status === 409) {
      document.getElementById("staff-stale-text").textContent = answer.body.message;
      stale.hidden = false;
      document.getElementById("staff-reload").focus();
      return;
    }
    const fields = (answer.status === 422 && answer.body.fields) || {};
    if (!Object.keys(fields).length) {
      where.textContent = texts.failed;
      return;
    }
    let first = null;
    for (const [name, text] of Object.entries(fields)) {
      const input = where === formError ? form.elements[name] : null;
      const error = document.getElementById(`staff-${name}-error`);
      if (!input || !error) {
        where.textContent = text;
        continue;
      }
      error.textContent = text;
      if (input.setAttribute) input.setAttribute("aria-invalid", "true");
      first = first || input;
    }
    if (first) {
      formError.textContent = texts.fix;
      (first.focus ? first : first[0]).focus();
    } else if (where === removeError) {
      document.getElementById("staff-heading").focus();
    }
  }

  function askToRemove(person, held, button) {
    clearErrors();
    removing = { telegram_id: person.telegram_id, role: held.role, button };
    document.getElementById("staff-confirm-text").textContent =
      fill(texts.remove_confirm, { role: held.name, person: person.name });
    button.after(confirm);
    confirm.hidden = false;
    document.getElementById("staff-confirm-no").focus();
  }

  async function remove() {
    const answer = await call("remove", { telegram_id: removing.telegram_id, role: removing.role });
    confirm.hidden = true;
    if (answer.status !== 200) return refused(answer, removeError);
    show(answer.body, answer.body.message);
    document.getElementById("staff-heading").focus();
  }

  async function appoint(submitted) {
    submitted.preventDefault();
    clearErrors();
    const projects = [...form.querySelectorAll("input[name=projects]:checked")].map((box) => box.value);
    const body = { telegram_id: form.elements.telegram_id.value, role: form.elements.role.value,
      projects: form.elements.role.value === "tutor" ? projects : [] };
    const answer = await call("appoint", body);
    if (answer.status !== 200) return refused(answer, formError);
    form.elements.telegram_id.value = "";
    show(answer.body, answer.body.message);
    document.getElementById("staff-heading").focus();
  }

  async function search() {
    const text = form.elements.search.value.trim();
    found.replaceChildren();
    if (!text) return;
    const answer = await call(`search?q=${encodeURIComponent(text)}`);
    if (answer.status !== 200) return;
    for (const person of answer.body.people) {
      const choose = element("button", { type: "button", className: "button secondary",
        textContent: texts.choose });
      choose.setAttribute("aria-label", `${texts.choose}: ${person.name}`);
      choose.addEventListener("click", () => {
        form.elements.telegram_id.value = String(person.telegram_id);
        found.replaceChildren();
        form.elements.role.focus();
      });
      found.append(element("li", {}, [element("span", { textContent: person.name }), choose]));
    }
    if (!answer.body.people.length) {
      found.append(element("li", { className: "hint", textContent: texts.search_none }));
    }
  }

  form.addEventListener("submit", appoint);
  form.elements.role.addEventListener("change", showProjects);
  form.elements.search.addEventListener("keydown", (key) => {
    if (key.key === "Enter") {
      key.preventDefault();
      search();
    }
  });
  document.getElementById("staff-search-button").addEventListener("click", search);
  document.getElementById("staff-reload").addEventListener("click", () => {
    clearErrors();
    load();
  });
  document.getElementById("staff-confirm-yes").addEventListener("click", remove);
  document.getElementById("staff-confirm-no").addEventListener("click", () => {
    confirm.hidden = true;
    if (removing) removing.button.focus();
  });

  return {
    start(data) {
      initData = data;
      return load();
    },
  };
})();
