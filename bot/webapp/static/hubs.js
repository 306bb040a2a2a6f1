// The hub editor (admins): the hubs, one hub's form, its closures. Texts come with api/hubs
// and api/hub in the user's language (keys only here). Every write sends the version the
// form was opened on: 422 names the refused fields, 409 says someone saved meanwhile.
"use strict";

window.QuartiereHubs = (() => {
  const byId = (id) => document.getElementById(id);
  const section = byId("hubs");
  const status = byId("hubs-status");
  const listView = byId("hubs-list-view");
  const hubView = byId("hub-view");
  const hubForm = byId("hub-form");
  const closureForm = byId("closure-form");
  const changed = byId("hub-changed");
  const HUB_FIELDS = ["address", "phone", "email", "opening_hours"];
  const CLOSURE_FIELDS = ["from", "to", "note_it", "note_en"];
  let context = null;
  let texts = {};
  let hub = null;

  function call(path, body) {
    return window.QuartiereCommon.formRequest(context.api(path), context.initData, body);
  }

  function useTexts(given) {
    texts = given || texts;
    for (const node of section.querySelectorAll("[data-hubs-text]")) {
      node.textContent = texts[node.dataset.hubsText] || "";
    }
  }

  function clearErrors(form, prefix, names) {
    for (const name of [...names, "services", "form"]) {
      const error = byId(`${prefix}-${name}-error`);
      if (!error) continue;
      error.textContent = "";
      error.hidden = true;
      const input = byId(`${prefix}-${name}`);
      if (input) input.removeAttribute("aria-invalid");
    }
    changed.hidden = true;
  }

  // Each message on its field (or under the form when no field has it); focus the first.
  function showErrors(prefix, fields) {
    let first = null;
    for (const [name, message] of Object.entries(fields)) {
      const error = byId(`${prefix}-${name}-error`) || byId(`${prefix}-form-error`);
      error.textContent = error.textContent ? `${error.textContent} ${message}` : message;
      error.hidden = false;
      const input = byId(`${prefix}-${name}`) || section.querySelector(`#${prefix}-services-list input`);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      }
    }
    if (first) first.focus();
  }

  function showChanged(message) {
    byId("hub-changed-text").textContent = message;
    changed.hidden = false;
    byId("hub-reload").focus();
  }

  async function showList() {
    const { answer } = await call("hubs");
    useTexts(answer.texts);
    const list = byId("hubs-list");
    list.replaceChildren();
    for (const line of answer.hubs) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = `${line.name} (${line.quartiere})`;
      button.addEventListener("click", () => openHub(line.id).catch(failed));
      item.append(button);
      list.append(item);
    }
    byId("hubs-pick").textContent = answer.hubs.length ? texts.hubs_pick : texts.hubs_empty;
    hubView.hidden = true;
    listView.hidden = false;
    section.hidden = false;
  }

  function fillServices() {
    const box = byId("hub-services-list");
    box.replaceChildren();
    for (const choice of hub.choices) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = "services";
      input.value = choice.code;
      input.checked = hub.services.includes(choice.code);
      label.append(input, ` ${choice.name}`);
      box.append(label);
    }
  }

  function fillClosures() {
    const list = byId("hub-closures");
    list.replaceChildren();
    for (const closure of hub.closures) {
      const item = document.createElement("li");
      const when = document.createElement("span");
      when.textContent = closure.note ? `${closure.when}: ${closure.note}` : closure.when;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button secondary";
      remove.textContent = texts.closure_remove;
      remove.setAttribute("aria-label", `${texts.closure_remove}: ${closure.when}`);
      remove.addEventListener("click", () => removeClosure(closure.id).catch(failed));
      item.append(when, " ", remove);
      list.append(item);
    }
    byId("hub-closures-none").hidden = hub.closures.length > 0;
  }

  function fill(answer) {
    hub = answer;
    useTexts(answer.texts);
    byId("hub-name").textContent = hub.name;
    for (const name of HUB_FIELDS) byId(`hub-${name}`).value = hub[name] || "";
    fillServices();
    fillClosures();
    status.textContent = answer.message || "";
  }

  async function openHub(id) {
    const { status: code, answer } = await call(`hub?id=${encodeURIComponent(id)}`);
    if (code === 409) {
      await showList();
      return;
    }
    clearErrors(hubForm, "hub", HUB_FIELDS);
    clearErrors(closureForm, "closure", CLOSURE_FIELDS);
    closureForm.reset();
    fill(answer);
    listView.hidden = true;
    hubView.hidden = false;
    byId("hub-name").focus();
  }

  // A write's answer: the hub afresh, or the refused fields, or "changed meanwhile".
  function settle(prefix, code, answer) {
    if (code === 422) showErrors(prefix, answer.fields);
    else if (code === 409) showChanged(answer.message);
    else {
      fill(answer);
      return true;
    }
    return false;
  }

  async function save(event) {
    event.preventDefault();
    clearErrors(hubForm, "hub", HUB_FIELDS);
    const body = { id: hub.id, version: hub.version };
    for (const name of HUB_FIELDS) body[name] = byId(`hub-${name}`).value;
    body.services = [...hubForm.querySelectorAll("input[name=services]:checked")].map((i) => i.value);
    const { status: code, answer } = await call("hub/save", body);
    settle("hub", code, answer);
  }

  async function addClosure(event) {
    event.preventDefault();
    clearErrors(closureForm, "closure", CLOSURE_FIELDS);
    const body = { id: hub.id, version: hub.version };
    for (const name of CLOSURE_FIELDS) body[name] = byId(`closure-${name}`).value;
    const { status: code, answer } = await call("hub/closures/add", body);
    if (settle("closure", code, answer)) closureForm.reset();
  }

  async function removeClosure(closureId) {
    clearErrors(closureForm, "closure", CLOSURE_FIELDS);
    const body = { id: hub.id, version: hub.version, closure: closureId };
    const { status: code, answer } = await call("hub/closures/remove", body);
    settle("closure", code, answer);
  }

  function failed() {
    status.textContent = texts.failed || "";
  }

  let wired = false;
  function wire() {
    if (wired) return;
    wired = true;
    hubForm.addEventListener("submit", (event) => save(event).catch(failed));
    closureForm.addEventListener("submit", (event) => addClosure(event).catch(failed));
    byId("hub-reload").addEventListener("click", () => openHub(hub.id).catch(failed));
    byId("hub-back").addEventListener("click", () =>
      showList().then(() => byId("hubs-title").focus(), failed),
    );
  }

  async function start(given) {
    context = given;
    wire();
    await showList();
  }

  return { start };
})();
