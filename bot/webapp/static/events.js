// The staff Mini App's Events part (admins): greenways with their upcoming events, a form
// to add or edit an event, and cancelling one after a confirmation. Texts come from the
// server (api/events/greenways); times are Rome's, as the datetime-local inputs show them.
"use strict";

window.QuartiereEvents = (() => {
  const FIELDS = [
    ["title_it", "text"], ["title_en", "text"],
    ["description_it", "textarea"], ["description_en", "textarea"],
    ["place_it", "text"], ["place_en", "text"],
    ["start", "datetime-local"], ["end", "datetime-local"],
    ["lat", "decimal"], ["lon", "decimal"],
  ];
  const part = document.getElementById("events");
  const list = document.getElementById("events-list");
  const form = document.getElementById("events-form");
  const formHeading = document.getElementById("events-form-heading");
  const formError = document.getElementById("events-form-error");
  const stale = document.getElementById("events-stale");
  const message = document.getElementById("events-message");
  const cancelPart = document.getElementById("events-cancel-part");
  const confirm = document.getElementById("events-confirm");
  let initData = "";
  let texts = {};
  let opened = null; // {greenway_id} to add, or the event as read (id, version, ...)

  function api(path) {
    return new URL(`api/events/${path}`, document.baseURI).toString();
  }

  const { element } = window.QuartiereCommon;

  function call(path, body) {
    return window.QuartiereCommon.request(api(path), initData, body);
  }

  function useTexts() {
    for (const node of part.querySelectorAll("[data-events-text]")) {
      node.textContent = texts[node.dataset.eventsText] || "";
    }
  }

  function buildFields() {
    const box = document.getElementById("events-fields");
    box.replaceChildren();
    for (const [name, kind] of FIELDS) {
      const id = `event-${name}`;
      const error = element("p", { id: `${id}-error`, className: "error" });
      const input = kind === "textarea"
        ? element("textarea", { rows: 3 })
        : element("input", { type: kind === "decimal" ? "text" : kind });
      if (kind === "decimal") input.inputMode = "decimal";
      Object.assign(input, { id, name });
      input.setAttribute("aria-describedby", error.id);
      const label = element("label", { htmlFor: id, textContent: texts[name] || name });
      const field = element("div", { className: "field" }, [label, input, error]);
      if (name === "lat") box.append(element("p", { className: "hint", textContent: texts.pin }));
      box.append(field);
    }
  }

  function showList() {
    form.hidden = true;
    list.hidden = false;
  }

  async function load(note) {
    const answer = await call("greenways");
    if (answer.status !== 200) return;
    texts = answer.body.texts;
    useTexts();
    list.replaceChildren();
    for (const greenway of answer.body.greenways) {
      const items = greenway.events.map((event) => {
        const edit = element("button", { type: "button", className: "button secondary",
          textContent: texts.edit });
        edit.setAttribute("aria-label", `${texts.edit}: ${event.title}`);
        edit.addEventListener("click", () => openEvent(event.id));
        const what = element("span", {}, [element("strong", { textContent: event.title }),
          element("br"), event.when]);
        return element("li", {}, [what, edit]);
      });
      if (!items.length) items.push(element("li", { className: "hint", textContent: texts.none }));
      const add = element("button", { type: "button", className: "button",
        textContent: texts.add });
      add.setAttribute("aria-label", texts.add_to.replace("{greenway}", greenway.name));
      add.addEventListener("click", () => openNew(greenway));
      list.append(element("h3", { textContent: greenway.name }),
        element("ul", { className: "event-list" }, items), add);
    }
    message.textContent = note || "";
    part.hidden = false;
    showList();
  }

  function clearErrors() {
    formError.textContent = "";
    stale.hidden = true;
    confirm.hidden = true;
    for (const node of form.querySelectorAll(".field .error")) node.textContent = "";
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  function openForm(heading, values) {
    buildFields();
    clearErrors();
    for (const [name] of FIELDS) form.elements[name].value = values[name] || "";
    formHeading.textContent = heading;
    cancelPart.hidden = !opened.id;
    message.textContent = "";
    list.hidden = true;
    form.hidden = false;
    form.elements.title_it.focus();
  }

  function openNew(greenway) {
    opened = { greenway_id: greenway.id };
    openForm(texts.add_to.replace("{greenway}", greenway.name), {});
  }

  async function openEvent(id) {
    const answer = await call(`event?id=${encodeURIComponent(id)}`);
    if (answer.status !== 200) return refused(answer);
    opened = answer.body;
    openForm(texts.edit_heading, opened);
  }

  function refused(answer) {
    if (answer.status === 409) {
      document.getElementById("events-stale-text").textContent = answer.body.message;
      stale.hidden = false;
      document.getElementById("events-reload").focus();
      return;
    }
    if (answer.status !== 422) {
      formError.textContent = texts.gone;
      return;
    }
    const fields = answer.body.fields || {};
    let first = null;
    for (const [name, text] of Object.entries(fields)) {
      const input = form.elements[name];
      if (!input) {
        formError.textContent = text;
        continue;
      }
      document.getElementById(`event-${name}-error`).textContent = text;
      input.setAttribute("aria-invalid", "true");
      first = first || input;
    }
    if (first) {
      formError.textContent = texts.fix;
      first.focus();
    } else {
      formHeading.focus();
    }
  }

  async function save(submitted) {
    submitted.preventDefault();
    clearErrors();
    const body = {};
    for (const [name] of FIELDS) body[name] = form.elements[name].value;
    const answer = opened.id
      ? await call("edit", { ...body, id: opened.id, version: opened.version })
      : await call("add", { ...body, greenway_id: opened.greenway_id });
    if (answer.status !== 200) return refused(answer);
    await load(answer.body.message);
    document.getElementById("events-heading").focus();
  }

  async function cancelEvent() {
    const answer = await call("cancel", { id: opened.id, version: opened.version });
    if (answer.status !== 200) return refused(answer);
    await load(answer.body.message);
    document.getElementById("events-heading").focus();
  }

  function askToCancel() {
    confirm.hidden = false;
    document.getElementById("events-confirm-no").focus();
  }

  form.addEventListener("submit", save);
  document.getElementById("events-back").addEventListener("click", () => load());
  document.getElementById("events-reload").addEventListener("click", () => openEvent(opened.id));
  document.getElementById("events-cancel").addEventListener("click", askToCancel);
  document.getElementById("events-confirm-yes").addEventListener("click", cancelEvent);
  document.getElementById("events-confirm-no").addEventListener("click", () => {
    confirm.hidden = true;
    document.getElementById("events-cancel").focus();
  });

  return {
    start(data) {
      initData = data;
      return load();
    },
  };
})();
