// A stand-in for https://telegram.org/js/telegram-web-app.js, for the offline demo: the part
// of window.Telegram.WebApp a Mini App needs first. It reads the launch parameters from the
// URL's fragment and talks to the web chat around it with postMessage, as Telegram's own
// script talks to Telegram's web client ({eventType, eventData} as JSON).
"use strict";

(() => {
  const launch = new URLSearchParams(window.location.hash.slice(1));
  const initData = launch.get("tgWebAppData") || "";
  const handlers = new Map();

  function parseJson(text) {
    try {
      return text ? JSON.parse(text) : {};
    } catch (error) {
      return {};
    }
  }

  function initDataUnsafe() {
    const fields = {};
    for (const [key, value] of new URLSearchParams(initData)) {
      fields[key] = key === "user" ? parseJson(value) : value;
    }
    if (fields.auth_date) fields.auth_date = Number(fields.auth_date);
    return fields;
  }

  function post(eventType, eventData) {
    if (window.parent !== window) {
      window.parent.postMessage(JSON.stringify({ eventType, eventData: eventData || {} }), "*");
    }
  }

  function emit(eventType, ...args) {
    for (const handler of handlers.get(eventType) || []) handler(...args);
  }

  const themeParams = parseJson(launch.get("tgWebAppThemeParams"));
  for (const [key, value] of Object.entries(themeParams)) {
    document.documentElement.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
  }

  function button(kind, extra) {
    const state = { isVisible: false, text: "" };
    const self = {
      get isVisible() { return state.isVisible; },
      get text() { return state.text; },
      setText(text) { state.text = String(text); return self; },
      show() { state.isVisible = true; post(`web_app_setup_${kind}`, { is_visible: true, text: state.text }); return self; },
      hide() { state.isVisible = false; post(`web_app_setup_${kind}`, { is_visible: false }); return self; },
      onClick(handler) { WebApp.onEvent(`${kind}Clicked`, handler); return self; },
      offClick(handler) { WebApp.offEvent(`${kind}Clicked`, handler); return self; },
      ...extra,
    };
    return self;
  }

  const WebApp = {
    initData,
    initDataUnsafe: initDataUnsafe(),
    version: launch.get("tgWebAppVersion") || "8.0",
    platform: launch.get("tgWebAppPlatform") || "unknown",
    colorScheme: "light",
    themeParams,
    isExpanded: false,
    onEvent(eventType, handler) {
      if (!handlers.has(eventType)) handlers.set(eventType, []);
      handlers.get(eventType).push(handler);
    },
    offEvent(eventType, handler) {
      handlers.set(eventType, (handlers.get(eventType) || []).filter((each) => each !== handler));
    },
    ready() { post("web_app_ready"); },
    expand() { WebApp.isExpanded = true; post("web_app_expand"); },
    close() { post("web_app_close"); },
  };
  WebApp.MainButton = button("main_button", {});
  WebApp.BackButton = button("back_button", {});

  // What the web chat tells the Mini App: a press of its back button.
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;
    const message = typeof event.data === "string" ? parseJson(event.data) : {};
    if (message.eventType === "back_button_pressed") emit("back_buttonClicked");
    if (message.eventType === "main_button_pressed") emit("main_buttonClicked");
  });

  window.Telegram = { WebApp };
})();
