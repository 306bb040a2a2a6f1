// What every part of the staff app shares: a signed call to the API, and building elements.
// Loaded first, so each part finds it when its own script runs.
"use strict";

window.QuartiereCommon = (() => {
  // GET, or POST with a JSON body; every call carries Telegram's initData as its sign-in.
  async function request(url, initData, body) {
    const options = { headers: { Authorization: `tma ${initData}` } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    return { status: response.status, ok: response.ok, body: await response.json() };
  }

  // A form's answers the page shows itself: saved, refused fields (422), changed meanwhile (409).
  async function formRequest(url, initData, body) {
    const { status, ok, body: answer } = await request(url, initData, body);
    if (ok || status === 422 || status === 409) return { status, answer };
    throw new Error(`${url}: ${status}`);
  }

  function element(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }

  return { request, formRequest, element, fill };
})();
