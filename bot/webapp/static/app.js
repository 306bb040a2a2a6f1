// The staff Mini App's page. Every text comes from the server in the user's language
// (GET api/texts, or inside api/me); this script holds only their keys. Every API call
// carries Telegram's initData: the server checks it and says who is signed in.
"use strict";

(() => {
  const tg = window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;
  const initData = tg && tg.initData ? tg.initData : "";
  const main = document.getElementById("app");
  const title = document.getElementById("title");
  const status = document.getElementById("status");

  function api(path) {
    return new URL(`api/${path}`, document.baseURI).toString();
  }

  function telegramLanguage() {
    const user = tg && tg.initDataUnsafe ? tg.initDataUnsafe.user : null;
    return (user && user.language_code) || navigator.language || "";
  }

  // Telegram's colours as CSS variables (app.css falls back to its own outside Telegram).
  function applyTheme() {
    const theme = (tg && tg.themeParams) || {};
    for (const [key, value] of Object.entries(theme)) {
      if (typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value)) {
        document.documentElement.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
      }
    }
  }

  function useTexts(locale, texts) {
    document.documentElement.lang = locale;
    document.title = texts.title || document.title;
    title.textContent = texts.title || title.textContent;
    for (const node of document.querySelectorAll("[data-text]")) {
      node.textContent = texts[node.dataset.text] || "";
    }
  }

  async function loadTexts() {
    const response = await fetch(api(`texts?lang=${encodeURIComponent(telegramLanguage())}`));
    const body = await response.json();
    useTexts(body.locale, body.texts);
  }

  function show(screen) {
    for (const section of document.querySelectorAll(".screen")) {
      section.hidden = section.id !== `screen-${screen}`;
    }
    status.textContent = "";
    main.removeAttribute("aria-busy");
    // Only the home screen has nowhere to go back to: elsewhere, back closes the app.
    if (tg && tg.BackButton) {
      if (screen === "me") tg.BackButton.hide();
      else tg.BackButton.show();
    }
    title.focus();
  }

  async function start() {
    main.setAttribute("aria-busy", "true");
    if (!initData) {
      await loadTexts();
      show("outside");
      return;
    }
    const response = await fetch(api("me"), { headers: { Authorization: `tma ${initData}` } });
    if (!response.ok) {
      await loadTexts();
      const screens = { 401: "signin", 403: "forbidden" };
      show(screens[response.status] || "failed");
      return;
    }
    const me = await response.json();
    useTexts(me.language, me.texts);
    document.getElementById("signed-in").textContent = me.signed_in_as;
    show("me");
    // The hub editor (hubs.js), for admins.
    if (window.QuartiereHubs && me.roles.includes("admin")) {
      window.QuartiereHubs.start({ api, initData }).catch(() => show("failed"));
    }
    // Each staff part hooks in here by the role it serves (its own static/<part>.js).
    if (me.roles.includes("admin") && window.QuartiereEvents) window.QuartiereEvents.start(initData);
    if (me.roles.includes("admin") && window.QuartiereProjects) window.QuartiereProjects.start(initData);
    if (me.roles.includes("admin") && window.QuartiereStaff) window.QuartiereStaff.start(initData);
  }

  function close() {
    if (tg) tg.close();
    else window.close();
  }

  function run() {
    start().catch(() => loadTexts().then(() => show("failed"), () => show("failed")));
  }

  document.getElementById("close").addEventListener("click", close);
  document.getElementById("retry").addEventListener("click", run);
  if (tg) {
    applyTheme();
    if (tg.onEvent) tg.onEvent("themeChanged", applyTheme);
    if (tg.BackButton && tg.BackButton.onClick) tg.BackButton.onClick(close);
    tg.ready();
    tg.expand();
  }
  run();
})();
