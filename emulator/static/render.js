// Turns Bot API messages into page elements. Text is always set as text: formatting comes
// from the message's entities (the HTML subset Telegram allows, already parsed by the
// emulator), so nothing the bot sends is ever injected as markup.

const SAFE_LINK = /^(https?:|mailto:|tel:|tg:)/i;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function safeHref(url) {
  return typeof url === "string" && SAFE_LINK.test(url.trim()) ? url.trim() : null;
}

function link(href, actions) {
  const safe = safeHref(href);
  if (!safe) return el("span", "link-refused");
  const anchor = el("a");
  anchor.href = safe;
  if (/^https?:/i.test(safe)) {
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
  }
  return anchor;
}

function entityElement(entity, content, actions) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": return el("pre");
    case "blockquote":
    case "expandable_blockquote": return el("blockquote");
    case "spoiler": {
      const spoiler = el("span", "spoiler");
      spoiler.tabIndex = 0;
      spoiler.title = actions.ui("spoiler");
      spoiler.addEventListener("click", () => spoiler.classList.add("revealed"));
      spoiler.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") spoiler.classList.add("revealed");
      });
      return spoiler;
    }
    case "text_link": return link(entity.url, actions);
    case "url": return link(/^[a-z]+:/i.test(content) ? content : `https://${content}`, actions);
    case "email": return link(`mailto:${content}`, actions);
    case "phone_number": return link(`tel:${content.replace(/[^+0-9]/g, "")}`, actions);
    case "bot_command": {
      const command = el("button", "inline-command");
      command.type = "button";
      command.addEventListener("click", () => actions.sendText(content.split("@")[0]));
      return command;
    }
    default: return el("span", `entity-${String(entity.type).replace(/[^a-z_]/g, "")}`);
  }
}

// Nested entities (as Telegram's HTML parser makes them) become nested elements.
function build(parent, text, start, end, entities, actions) {
  let position = start;
  let index = 0;
  while (index < entities.length) {
    const entity = entities[index];
    if (entity.offset >= end) break;
    const entityEnd = Math.min(entity.offset + entity.length, end);
    const inner = [];
    let next = index + 1;
    while (next < entities.length && entities[next].offset < entityEnd) {
      inner.push(entities[next]);
      next += 1;
    }
    if (entity.offset > position) parent.append(text.slice(position, entity.offset));
    const from = Math.max(entity.offset, position);
    const node = entityElement(entity, text.slice(from, entityEnd), actions);
    build(node, text, from, entityEnd, inner, actions);
    parent.append(node);
    position = Math.max(position, entityEnd);
    index = next;
  }
  if (position < end) parent.append(text.slice(position, end));
}

export function formattedText(text, entities, actions, className = "text") {
  const body = el("div", className);
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  // Entity offsets count UTF-16 code units, as JavaScript strings do.
  build(body, text || "", 0, (text || "").length, sorted, actions);
  return body;
}

function formatSize(bytes, locale) {
  const units = ["B", "kB", "MB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: 1 })} ${units[unit]}`;
}

function coordinates(location, locale) {
  const options = { minimumFractionDigits: 4, maximumFractionDigits: 4 };
  return `${location.latitude.toLocaleString(locale, options)}, ${location.longitude.toLocaleString(locale, options)}`;
}

function card(className, icon, title, lines) {
  const box = el("div", `card ${className}`);
  const heading = el("p", "card-title");
  heading.append(el("span", "icon", icon), " ", el("span", "", title));
  heading.firstChild.setAttribute("aria-hidden", "true");
  box.append(heading);
  for (const line of lines.filter(Boolean)) box.append(el("p", "card-line", line));
  return box;
}

function content(message, actions) {
  const parts = [];
  const locale = actions.locale();
  if (message.photo) {
    const largest = message.photo[message.photo.length - 1];
    const image = el("img", "photo");
    image.src = `/_webchat/files/${encodeURIComponent(largest.file_id)}`;
    image.alt = message.caption || actions.ui("photo");
    image.loading = "lazy";
    parts.push(image);
  }
  if (message.document) {
    const documentInfo = message.document;
    const name = documentInfo.file_name || actions.ui("document");
    const box = card("document", "📄", name, [formatSize(documentInfo.file_size || 0, locale)]);
    const download = el("a", "download", actions.ui("download"));
    download.href = `/_webchat/files/${encodeURIComponent(documentInfo.file_id)}`;
    download.setAttribute("download", name);
    download.setAttribute("aria-label", `${actions.ui("download")} ${name}`);
    box.append(download);
    parts.push(box);
  }
  if (message.venue) {
    const venue = message.venue;
    parts.push(card("venue", "📍", venue.title, [venue.address, coordinates(venue.location, locale)]));
  } else if (message.location) {
    const place = actions.placeName(message.location);
    parts.push(card("location", "📍", actions.ui("location"), [place, coordinates(message.location, locale)]));
  }
  if (message.contact) {
    const contact = message.contact;
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(" ");
    parts.push(card("contact", "👤", name, [contact.phone_number]));
  }
  if (message.sticker) parts.push(el("div", "sticker", message.sticker.emoji || "🖼️"));
  if (message.text !== undefined) parts.push(formattedText(message.text, message.entities, actions));
  if (message.caption) {
    parts.push(formattedText(message.caption, message.caption_entities, actions, "text caption"));
  }
  return parts;
}

function inlineKeyboard(message, actions) {
  const rows = message.reply_markup?.inline_keyboard;
  if (!rows || !rows.length) return null;
  const group = el("div", "inline-keyboard");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", actions.ui("buttons"));
  for (const row of rows) {
    const line = el("div", "row");
    for (const button of row) {
      let control;
      if (button.url) {
        control = link(button.url, actions);
        control.classList.add("button");
      } else {
        control = el("button", "button");
        control.type = "button";
        if (button.web_app) {
          control.addEventListener("click", () => actions.openWebApp(button.web_app.url));
        } else if (button.callback_data !== undefined) {
          control.addEventListener("click", () => actions.press(message.message_id, button.callback_data));
        } else if (button.copy_text) {
          control.addEventListener("click", () => navigator.clipboard?.writeText(button.copy_text.text));
        } else {
          control.disabled = true;
          control.title = actions.ui("unsupported");
        }
      }
      control.textContent = button.text;
      line.append(control);
    }
    group.append(line);
  }
  return group;
}

export function messageElement(item, actions) {
  const message = item.message;
  const article = el("article", `message ${item.from_bot ? "from-bot" : "from-user"}`);
  article.dataset.messageId = String(message.message_id);
  article.tabIndex = -1;
  const who = el("span", "visually-hidden", `${item.from_bot ? actions.ui("bot_said") : actions.ui("you_said")}: `);
  article.append(who, ...content(message, actions));
  const keyboard = inlineKeyboard(message, actions);
  if (keyboard) article.append(keyboard);
  const footer = el("p", "meta");
  const sent = new Date(message.date * 1000);
  const time = el("time", "", sent.toLocaleTimeString(actions.locale(), { hour: "2-digit", minute: "2-digit" }));
  time.dateTime = sent.toISOString();
  footer.append(time);
  if (message.edit_date) footer.append(" · ", el("span", "edited", actions.ui("edited")));
  article.append(footer);
  return article;
}

export function replyKeyboard(markup, actions) {
  const fragment = document.createDocumentFragment();
  for (const row of markup.keyboard || []) {
    const line = el("div", "row");
    for (const raw of row) {
      const button = typeof raw === "string" ? { text: raw } : raw;
      const control = el("button", "button", button.text);
      control.type = "button";
      control.addEventListener("click", () => actions.replyButton(button));
      line.append(control);
    }
    fragment.append(line);
  }
  return fragment;
}
