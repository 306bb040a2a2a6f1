// The project editor (admins): the projects, one project's form (titles and descriptions per
// language, theme, hub). Texts come with api/projects and api/project in the user's language
// (keys only here). A save sends the version the form was opened on: 422 names the refused
// fields, 409 says someone saved meanwhile and offers Reload.
"use strict";

window.QuartiereProjects = (() => {
  const FIELDS = ["title_it", "title_en", "description_it", "description_en", "theme", "hub"];
  const byId = (id) => document.getElementById(id);
  const part = byId("projects");
  const listView = byId("projects-list-view");
  const form = byId("projects-form");
  const message = byId("projects-message");
  const stale = byId("projects-stale");
  let initData = "";
  let texts = {};
  let project = null;

  function api(path) {
    return new URL(`api/${path}`, document.baseURI).toString();
  }

  function call(path, body) {
    return window.QuartiereCommon.formRequest(api(path), initData, body);
  }

  function useTexts(given) {
    texts = given || texts;
    for (const node of part.querySelectorAll("[data-projects-text]")) {
      node.textContent = texts[node.dataset.projectsText] || "";
    }
  }

  function clearErrors() {
    for (const name of [...FIELDS, "form"]) {
      const error = byId(`project-${name}-error`);
      error.textContent = "";
      error.hidden = true;
      const input = byId(`project-${name}`);
      if (input) input.removeAttribute("aria-invalid");
    }
    stale.hidden = true;
  }

  // Each message on its field (or under the form when no field has it); focus the first.
  function showErrors(fields) {
    let first = null;
    for (const [name, text] of Object.entries(fields)) {
      const input = byId(`project-${name}`);
      const error = (input && byId(`project-${name}-error`)) || byId("project-form-error");
      error.textContent = error.textContent ? `${error.textContent} ${text}` : text;
      error.hidden = false;
      if (input) {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      }
    }
    if (first) first.focus();
  }

  function options(select, choices, chosen) {
    select.replaceChildren();
    for (const [value, label] of choices) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      option.selected = value === chosen;
      select.append(option);
    }
  }

  function fill(answer) {
    project = answer;
    useTexts(answer.texts);
    byId("projects-form-heading").textContent = answer.title || answer.code;
    for (const name of FIELDS.slice(0, 4)) byId(`project-${name}`).value = answer.values[name] || "";
    options(byId("project-theme"), answer.themes.map((t) => [t.code, t.name]), answer.values.theme);
    const hubs = [["", texts.no_hub], ...answer.hubs.map((h) => [h.code, h.name])];
    options(byId("project-hub"), hubs, answer.values.hub);
    message.textContent = answer.message || "";
  }

  async function showList() {
    const { answer } = await call("projects");
    useTexts(answer.texts);
    const list = byId("projects-list");
    list.replaceChildren();
    for (const line of answer.projects) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = line.title;
      button.addEventListener("click", () => open(line.id).catch(failed));
      item.append(button);
      list.append(item);
    }
    byId("projects-pick").textContent = answer.projects.length ? texts.pick : texts.empty;
    form.hidden = true;
    listView.hidden = false;
    part.hidden = false;
  }

  async function open(id) {
    const { status, answer } = await call(`project?id=${encodeURIComponent(id)}`);
    if (status === 409) {
      await showList();
      return;
    }
    clearErrors();
    fill(answer);
    listView.hidden = true;
    form.hidden = false;
    byId("projects-form-heading").focus();
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    const body = { id: project.id, version: project.version };
    for (const name of FIELDS) body[name] = byId(`project-${name}`).value;
    const { status, answer } = await call("project/save", body);
    if (status === 422) showErrors(answer.fields);
    else if (status === 409) {
      byId("projects-stale-text").textContent = answer.message;
      stale.hidden = false;
      byId("projects-reload").focus();
    } else fill(answer);
  }

  function failed() {
    message.textContent = texts.failed || "";
  }

  let wired = false;
  function wire() {
    if (wired) return;
    wired = true;
    form.addEventListener("submit", (event) => save(event).catch(failed));
    byId("projects-reload").addEventListener("click", () => open(project.id).catch(failed));
    byId("projects-back").addEventListener("click", () =>
      showList().then(() => byId("projects-heading").focus(), failed),
    );
  }

  async function start(given) {
    initData = given;
    wire();
    await showList();
  }

  return { start };
})();
