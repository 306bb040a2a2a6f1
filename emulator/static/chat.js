// The web chat: one emulated Telegram user at a time, talking to the real bot through the
// emulator's control endpoints; the chat is long-polled, so new messages, edits and
// deletions appear without reloading.

import { messageElement, replyKeyboard } from "./render.js";
import { STRINGS } from "./strings.js";

const $ = (id) => document.getElementById(id);
const state = {
  config: null,
  persona: null,
  language: "it",
  revision: -1,
  generation: 0,
  poll: null,
  signatures: new Map(),
  following: true,
  webAppOpener: null,
};

function ui(key) {
  const table = STRINGS[state.language] || STRINGS.en;
  return table[key] ?? STRINGS.en[key] ?? key;
}

function personaText(persona, key) {
  const table = (STRINGS[state.language] || STRINGS.en).personas[persona.key];
  return table[key];
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

async function call(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

function sender() {
  const persona = state.persona;
  return { first_name: persona.first_name, last_name: persona.last_name, language_code: state.language };
}

function report(error) {
  $("alert").textContent = fill(ui("failed"), { reason: error.message });
}

const actions = {
  ui,
  locale: () => state.language,
  async sendText(text) {
    $("alert").textContent = "";
    try {
      await call(`/_emulator/users/${state.persona.user_id}/text`, { text, ...sender() });
    } catch (error) {
      report(error);
    }
  },
  async sendLocation(latitude, longitude) {
    try {
      await call(`/_emulator/users/${state.persona.user_id}/location`, { latitude, longitude, ...sender() });
    } catch (error) {
      report(error);
    }
  },
  async press(messageId, data) {
    $("alert").textContent = "";
    try {
      const { callback_query_id: id } = await call(`/_emulator/users/${state.persona.user_id}/press`, {
        message_id: messageId,
        callback_data: data,
      });
      const response = await fetch(`/_webchat/callbacks/${encodeURIComponent(id)}?wait=10`);
      const { answer } = await response.json();
      if (answer && answer.text) showAnswer(answer.text, answer.show_alert);
    } catch (error) {
      report(error);
    }
  },
  openWebApp,
  async replyButton(button) {
    if (button.web_app) {
      await openWebApp(button.web_app.url);
    } else if (button.request_location) {
      openLocationDialog();
    } else if (button.request_contact) {
      try {
        await call(`/_emulator/users/${state.persona.user_id}/contact`, {
          phone_number: state.persona.phone,
          ...sender(),
        });
      } catch (error) {
        report(error);
      }
    } else {
      await actions.sendText(button.text);
    }
  },
  placeName(location) {
    const near = (state.config?.neighbourhoods || []).find(
      (item) => Math.abs(item.latitude - location.latitude) < 1e-6 && Math.abs(item.longitude - location.longitude) < 1e-6,
    );
    return near ? near.name : "";
  },
};

// A Mini App opens in a panel beside the chat, signed in as the persona (initData signed by
// the emulator with the bot's token), and talks to the page as to Telegram's web client.
async function openWebApp(url) {
  $("alert").textContent = "";
  try {
    const { url: launch } = await call(`/_webchat/users/${state.persona.user_id}/webapp`, { url });
    state.webAppOpener = document.activeElement;
    $("web-app-back").hidden = true;
    $("web-app-frame").src = launch;
    $("web-app").hidden = false;
    $("web-app-frame").focus();
  } catch (error) {
    report(error);
  }
}

function closeWebApp() {
  if ($("web-app").hidden) return;
  $("web-app").hidden = true;
  $("web-app-frame").src = "about:blank";
  const opener = state.webAppOpener;
  if (opener && opener.isConnected) opener.focus();
  else $("text").focus();
}

function webAppEvent(event) {
  const frame = $("web-app-frame");
  if (event.source !== frame.contentWindow || typeof event.data !== "string") return;
  let message;
  try {
    message = JSON.parse(event.data);
  } catch (error) {
    return;
  }
  if (message.eventType === "web_app_close") closeWebApp();
  if (message.eventType === "web_app_setup_back_button") {
    $("web-app-back").hidden = !message.eventData?.is_visible;
  }
}

function pressWebAppBack() {
  const frame = $("web-app-frame").contentWindow;
  frame?.postMessage(JSON.stringify({ eventType: "back_button_pressed", eventData: {} }), "*");
}

function showAnswer(text, isAlert) {
  const target = isAlert ? $("alert") : $("notice");
  target.textContent = text;
  if (!isAlert) {
    const shown = text;
    setTimeout(() => {
      if (target.textContent === shown) target.textContent = "";
    }, 5000);
  }
}

// Keeps keyboard focus where it was when the message holding it is replaced by its edit.
function replaceKeepingFocus(old, fresh) {
  const focused = document.activeElement;
  const hadFocus = Boolean(focused && old.contains(focused));
  const index = hadFocus ? [...old.querySelectorAll("button, a")].indexOf(focused) : -1;
  old.replaceWith(fresh);
  if (hadFocus) {
    const controls = fresh.querySelectorAll("button, a");
    (controls[Math.min(Math.max(index, 0), controls.length - 1)] || fresh).focus();
  }
}

function atBottom(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
}

// Follows the conversation while the reader is at its end, also when a picture loads late.
function keepAtBottom(fresh) {
  const list = $("messages");
  for (const image of fresh.querySelectorAll("img")) {
    image.addEventListener("load", () => {
      if (state.following) list.scrollTop = list.scrollHeight;
    });
  }
}

function renderMessages(items) {
  const list = $("messages");
  const nearBottom = atBottom(list);
  const present = new Set();
  let added = false;
  for (const item of items) {
    const id = String(item.message.message_id);
    present.add(id);
    const signature = JSON.stringify(item);
    const existing = list.querySelector(`[data-message-id="${id}"]`);
    if (existing && state.signatures.get(id) === signature) continue;
    const fresh = messageElement(item, actions);
    state.signatures.set(id, signature);
    if (existing) {
      replaceKeepingFocus(existing, fresh);
    } else {
      list.append(fresh);
      keepAtBottom(fresh);
      added = true;
    }
  }
  for (const node of [...list.children]) {
    if (!present.has(node.dataset.messageId)) {
      const focusLost = node.contains(document.activeElement);
      state.signatures.delete(node.dataset.messageId);
      node.remove();
      if (focusLost) $("text").focus();
    }
  }
  $("empty").hidden = items.length > 0;
  if (added && nearBottom) list.scrollTop = list.scrollHeight;
  state.following = atBottom(list);
}

function renderReplyKeyboard(markup) {
  const box = $("reply-keyboard");
  const signature = JSON.stringify(markup);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  box.replaceChildren();
  box.hidden = !markup;
  if (markup) box.append(replyKeyboard(markup, actions));
}

function renderMenu(commands) {
  const menu = $("menu");
  const signature = JSON.stringify(commands) + state.language;
  if (menu.dataset.signature === signature) return;
  menu.dataset.signature = signature;
  menu.replaceChildren();
  for (const command of commands) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "command";
    const name = document.createElement("span");
    name.className = "command-name";
    name.textContent = `/${command.command}`;
    const description = document.createElement("span");
    description.className = "command-description";
    description.textContent = command.description;
    button.append(name, " ", description);
    button.addEventListener("click", () => {
      closeMenu();
      actions.sendText(`/${command.command}`);
      $("text").focus();
    });
    menu.append(button);
  }
  $("menu-button").disabled = commands.length === 0;
}

function apply(snapshot) {
  state.revision = snapshot.revision;
  renderMessages(snapshot.messages);
  renderReplyKeyboard(snapshot.reply_keyboard);
  renderMenu(snapshot.commands);
  $("messages").setAttribute("aria-busy", "false");
}

async function pollLoop(generation) {
  while (generation === state.generation) {
    const controller = new AbortController();
    state.poll = controller;
    const wait = state.revision < 0 ? 0 : 25;
    try {
      const response = await fetch(
        `/_webchat/chats/${state.persona.user_id}?revision=${state.revision}&wait=${wait}`,
        { signal: controller.signal, cache: "no-store" },
      );
      if (!response.ok) throw new Error(response.statusText);
      const snapshot = await response.json();
      if (generation !== state.generation) return;
      if ($("notice").textContent === ui("offline")) $("notice").textContent = "";
      apply(snapshot);
    } catch (error) {
      if (controller.signal.aborted || generation !== state.generation) return;
      $("notice").textContent = ui("offline");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function restart() {
  state.generation += 1;
  state.poll?.abort();
  state.revision = -1;
  state.signatures.clear();
  $("messages").replaceChildren();
  $("messages").setAttribute("aria-busy", "true");
  pollLoop(state.generation);
}

function translatePage() {
  document.documentElement.lang = state.language;
  document.title = ui("title");
  for (const node of document.querySelectorAll("[data-ui]")) node.textContent = ui(node.dataset.ui);
  for (const node of document.querySelectorAll("[data-ui-label]")) {
    node.setAttribute("aria-label", ui(node.dataset.uiLabel));
  }
  for (const node of document.querySelectorAll("[data-ui-title]")) node.title = ui(node.dataset.uiTitle);
  for (const node of document.querySelectorAll("[data-ui-placeholder]")) {
    node.placeholder = ui(node.dataset.uiPlaceholder);
  }
  $("location-button").title = ui("send_location");
  const personas = $("persona");
  for (const option of personas.options) {
    const persona = state.config.personas.find((item) => item.key === option.value);
    option.textContent = fill(personaText(persona, "label"), { name: persona.first_name });
  }
  const persona = state.persona;
  $("chat-title").textContent = fill(ui("chat_with"), { name: `${persona.first_name} ${persona.last_name}` });
  $("persona-about").textContent = fill(personaText(persona, "about"), { name: persona.first_name });
  $("persona-tips").replaceChildren(
    ...personaText(persona, "tips").map((tip) => {
      const item = document.createElement("li");
      item.textContent = tip;
      return item;
    }),
  );
}

function remember() {
  const query = new URLSearchParams({ persona: state.persona.key, lang: state.language });
  history.replaceState(null, "", `?${query}`);
}

async function choose(personaKey, language) {
  state.persona = state.config.personas.find((item) => item.key === personaKey) || state.config.personas[0];
  state.language = state.config.languages.some((item) => item.code === language) ? language : state.config.languages[0].code;
  $("persona").value = state.persona.key;
  $("language").value = state.language;
  translatePage();
  remember();
  await call(`/_webchat/users/${state.persona.user_id}/language`, { language_code: state.language });
  restart();
}

function closeMenu() {
  $("menu").hidden = true;
  $("menu-button").setAttribute("aria-expanded", "false");
}

function toggleMenu() {
  const menu = $("menu");
  menu.hidden = !menu.hidden;
  $("menu-button").setAttribute("aria-expanded", String(!menu.hidden));
  if (!menu.hidden) menu.querySelector("button")?.focus();
}

function openLocationDialog() {
  $("location-error").textContent = "";
  $("location-dialog").showModal();
  $("neighbourhood").focus();
}

function parseCoordinate(text) {
  return Number(String(text).trim().replace(",", "."));
}

function locationChosen(event) {
  const dialog = $("location-dialog");
  if (event.submitter?.value !== "send") return;
  const latitudeText = $("latitude").value.trim();
  const longitudeText = $("longitude").value.trim();
  let latitude;
  let longitude;
  if (latitudeText || longitudeText) {
    latitude = parseCoordinate(latitudeText);
    longitude = parseCoordinate(longitudeText);
    const valid = Number.isFinite(latitude) && Number.isFinite(longitude) && latitudeText && longitudeText;
    if (!valid || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      event.preventDefault();
      $("location-error").textContent = ui("bad_coordinates");
      return;
    }
  } else {
    const place = state.config.neighbourhoods[Number($("neighbourhood").value)];
    latitude = place.latitude;
    longitude = place.longitude;
  }
  dialog.addEventListener("close", () => $("text").focus(), { once: true });
  actions.sendLocation(latitude, longitude);
  $("latitude").value = "";
  $("longitude").value = "";
}

function setUp(config) {
  state.config = config;
  const personas = $("persona");
  for (const persona of config.personas) personas.append(new Option(persona.key, persona.key));
  const languages = $("language");
  for (const language of config.languages) languages.append(new Option(language.name, language.code));
  const places = $("neighbourhood");
  config.neighbourhoods.forEach((place, index) => places.append(new Option(place.name, String(index))));

  $("messages").addEventListener("scroll", () => {
    state.following = atBottom($("messages"));
  });
  personas.addEventListener("change", () => choose(personas.value, state.language));
  languages.addEventListener("change", () => choose(state.persona.key, languages.value));
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const field = $("text");
    const text = field.value.trim();
    if (!text) return;
    field.value = "";
    actions.sendText(text);
  });
  $("start").addEventListener("click", () => {
    actions.sendText("/start");
    $("text").focus();
  });
  $("menu-button").addEventListener("click", toggleMenu);
  $("menu").addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      closeMenu();
      $("menu-button").focus();
    }
  });
  $("location-button").addEventListener("click", openLocationDialog);
  $("location-form").addEventListener("submit", locationChosen);
  $("web-app-close").addEventListener("click", closeWebApp);
  $("web-app-back").addEventListener("click", pressWebAppBack);
  $("web-app").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeWebApp();
  });
  window.addEventListener("message", webAppEvent);

  const query = new URLSearchParams(location.search);
  choose(query.get("persona") || config.personas[0].key, query.get("lang") || config.languages[0].code);
}

fetch("/_webchat/config")
  .then((response) => response.json())
  .then(setUp)
  .catch(() => {
    $("notice").textContent = STRINGS.en.offline;
  });
