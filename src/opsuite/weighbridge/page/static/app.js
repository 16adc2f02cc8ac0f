// The operator page: the documented REST API under /api/v1 and the two WebSockets, nothing else.
import {
  ACTION_LABELS,
  backoffDelay,
  canConfirm,
  changedSettings,
  deviceFaults,
  errorText,
  formatKg,
  formatTime,
  isoDate,
  parseSetting,
  socketUrl,
  statusLabel,
  visitWeights,
} from "./logic.js";

const API = "/api/v1";
const TOKEN_KEY = "weighbridge.token";
const HISTORY_PAGE = 20;
const CAMERA_PERIOD_MS = 2000;
const HISTORY_PERIOD_MS = 15000;
const FALLBACK_PERIOD_MS = 1000;
const STALE_AFTER_MS = 3000;
const GATES = [
  [1, "Въезд 1"],
  [2, "Въезд 2"],
  [3, "Выезд 1"],
  [4, "Выезд 2"],
];
const SETTING_LABELS = {
  camera_in_ip: "IP камеры въезда (камера 1)",
  camera_out_ip: "IP камеры выезда (камера 2)",
  gate_close_timeout: "Автозакрытие шлагбаума, мс",
  scale_port: "Порт весового терминала",
};

const $ = (id) => document.getElementById(id);

const state = {
  token: localStorage.getItem(TOKEN_KEY),
  me: null,
  frame: null,
  frameAt: 0,
  hardware: null,
  settings: null,
  products: new Map(),
  historySkip: 0,
  lastTruckId: null,
  lastStatus: null,
  timers: [],
  sockets: [],
  cameraUrls: {},
  cameraBusy: {},
};

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** One call of the API with the bearer token; an error body becomes an ApiError with a readable message. */
async function api(path, { method = "GET", json, form, raw = false } = {}) {
  const headers = {};
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  let response;
  try {
    response = await fetch(API + path, { method, headers, body });
  } catch {
    throw new ApiError(0, "Нет связи с сервером");
  }
  if (!response.ok) {
    const text = await response.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a body that is not JSON is shown as text
    }
    if (response.status === 401 && state.token && path !== "/auth/login") {
      logout("Сеанс истёк, войдите снова");
    }
    throw new ApiError(response.status, errorText(parsed, response.status));
  }
  if (raw) return response;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

function show(element, visible) {
  element.hidden = !visible;
}

function say(id, text, isError = false) {
  const element = $(id);
  element.textContent = text;
  element.classList.toggle("error", isError);
}

function notice(text) {
  const element = $("notice");
  element.textContent = text;
  show(element, Boolean(text));
}

/** Run a button's action once at a time: the button is disabled while it runs, errors land in `messageId`. */
async function guarded(button, messageId, action) {
  if (button.dataset.busy) return;
  button.dataset.busy = "1";
  button.disabled = true;
  say(messageId, "");
  try {
    await action();
  } catch (error) {
    say(messageId, error.message, true);
  } finally {
    delete button.dataset.busy;
    button.disabled = false;
    renderControls();
  }
}

// ---- login and logout

async function login(event) {
  event.preventDefault();
  say("login-error", "");
  const form = new URLSearchParams({ username: $("login-phone").value.trim(), password: $("login-password").value });
  try {
    const answer = await api("/auth/login", { method: "POST", form });
    state.token = answer.access_token;
    localStorage.setItem(TOKEN_KEY, state.token);
    $("login-password").value = "";
    await boot();
  } catch (error) {
    say("login-error", error.status === 401 ? "Неверный телефон или пароль" : error.message, true);
  }
}

function logout(message = "") {
  state.token = null;
  state.me = null;
  localStorage.removeItem(TOKEN_KEY);
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
  for (const socket of state.sockets) socket.stop();
  state.sockets = [];
  for (const url of Object.values(state.cameraUrls)) URL.revokeObjectURL(url);
  state.cameraUrls = {};
  show($("app-view"), false);
  show($("login-view"), true);
  say("login-error", message, Boolean(message));
}

// ---- the two live feeds

/** A WebSocket that reconnects with backoff and reports whether it is live. */
class LiveSocket {
  constructor(path, onFrame, onChange) {
    this.path = path;
    this.onFrame = onFrame;
    this.onChange = onChange;
    this.attempt = 0;
    this.live = false;
    this.stopped = false;
    this.retryAt = 0;
    this.lastFrameAt = 0;
    this.connect();
  }

  connect() {
    if (this.stopped) return;
    const socket = new WebSocket(socketUrl(window.location, API + this.path, state.token));
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
    };
    socket.onmessage = (message) => {
      this.lastFrameAt = Date.now();
      if (!this.live) {
        this.live = true;
        this.onChange();
      }
      try {
        this.onFrame(JSON.parse(message.data));
      } catch {
        // a frame that is not JSON is skipped; the next one will do
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.live = false;
      if (event.code === 1008 && !this.stopped) {
        logout("Сеанс истёк, войдите снова");
        return;
      }
      // A refused handshake (403) reaches the browser as a bare 1006: ask the API whether the token still holds.
      if (!opened && !this.stopped) api("/users/me").catch(() => {});
      this.retry();
    };
  }

  retry() {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt++);
    this.retryAt = Date.now() + delay;
    this.onChange();
    setTimeout(() => this.connect(), delay);
  }

  /** A socket that went quiet is closed and reconnected (the server sends at least once a second). */
  watch() {
    if (this.live && Date.now() - this.lastFrameAt > STALE_AFTER_MS) {
      this.live = false;
      const socket = this.socket;
      this.socket = null;
      socket.close();
      this.retry();
    }
  }

  stop() {
    this.stopped = true;
    this.live = false;
    if (this.socket) this.socket.close();
  }
}

function startFeeds() {
  const process = new LiveSocket("/process/ws", onProcessFrame, renderLink);
  const hardware = new LiveSocket("/hardware/ws", onHardware, renderLink);
  state.sockets = [process, hardware];
  every(1000, () => {
    for (const socket of state.sockets) socket.watch();
    renderLink();
  });
  every(FALLBACK_PERIOD_MS, () => fallbackPoll(process, hardware));
}

/** While a feed is down the page polls its REST twin, so the weight and the lights stay current. */
async function fallbackPoll(process, hardware) {
  try {
    if (!process.live) {
      const current = await api("/hardware/scales/current");
      $("weight").textContent = formatKg(current.weight_in);
      $("weight").classList.add("stale");
    }
    if (!hardware.live) onHardware(await api("/hardware/status"));
  } catch {
    // the link indicator already says the server is out of reach
  }
}

function onProcessFrame(frame) {
  state.frame = frame;
  state.frameAt = Date.now();
  renderFrame();
  if (frame.truck_id !== state.lastTruckId || frame.scale_status !== state.lastStatus) {
    state.lastTruckId = frame.truck_id;
    state.lastStatus = frame.scale_status;
    loadHistory();
  }
}

function onHardware(status) {
  state.hardware = status;
  renderHardware();
}

// ---- rendering

function renderLink() {
  const live = state.sockets.length > 0 && state.sockets.every((socket) => socket.live);
  const link = $("link");
  link.classList.toggle("down", !live);
  link.classList.toggle("up", live);
  if (live) {
    link.textContent = "на связи";
  } else {
    const waits = state.sockets.filter((socket) => !socket.live).map((socket) => socket.retryAt - Date.now());
    const seconds = Math.max(0, Math.ceil(Math.max(0, ...waits) / 1000));
    link.textContent = seconds > 0 ? `нет связи · повтор через ${seconds} с` : "нет связи · подключение…";
  }
  renderFaults();
  renderControls();
}

function renderFrame() {
  const frame = state.frame;
  $("weight").textContent = formatKg(frame.current_weight);
  $("weight").classList.remove("stale");
  const stability = $("stability");
  stability.textContent = frame.is_stable ? "Стабильно" : "Колеблется";
  stability.className = `badge ${frame.is_stable ? "ok" : "warn"}`;
  $("process-state").textContent = statusLabel(frame.scale_status);
  $("process-state").dataset.state = frame.scale_status || "";
  $("live-truck").textContent = frame.truck_number || "—";
  $("live-truck-id").textContent = frame.truck_id ?? "—";
  const numberField = $("truck-number");
  if (frame.truck_number && document.activeElement !== numberField && !numberField.dataset.edited) {
    numberField.value = frame.truck_number;
  }
  const sensors = frame.sensors_active || [];
  for (let index = 0; index < 3; index += 1) {
    $(`sensor-${index + 1}`).classList.toggle("active", Boolean(sensors[index]));
  }
  renderGates();
  renderControls();
}

function renderControls() {
  const processLive = state.sockets[0]?.live;
  const confirm = $("confirm");
  if (!confirm.dataset.busy) confirm.disabled = !(processLive && canConfirm(state.frame));
}

function light(id, value) {
  const element = $(id);
  element.className = `light ${value === true ? "ok" : value === false ? "bad" : "unknown"}`;
}

function renderHardware() {
  const status = state.hardware || {};
  light("light-scale", status.scale_connection);
  light("light-controller", status.controller);
  light("light-camera_1", status.camera_1);
  light("light-camera_2", status.camera_2);
  renderGates();
  renderFaults();
}

function gateOpen(gate) {
  const status = state.hardware || {};
  if (typeof status[`gate_${gate}`] === "boolean") return status[`gate_${gate}`];
  const frame = state.frame || {};
  if (typeof frame[`gate_${gate}_open`] === "boolean") return frame[`gate_${gate}_open`];
  return null;
}

function renderGates() {
  const body = $("gates");
  if (!body.children.length) {
    for (const [gate, name] of GATES) {
      const row = document.createElement("tr");
      row.innerHTML =
        `<td>${gate} · ${name}</td><td class="gate-state" id="gate-${gate}-state">—</td>` +
        `<td><button type="button" data-gate="${gate}" data-action="open">Открыть (ochish)</button>` +
        `<button type="button" data-gate="${gate}" data-action="close">Закрыть (yopish)</button></td>`;
      body.append(row);
    }
  }
  for (const [gate] of GATES) {
    const open = gateOpen(gate);
    const cell = $(`gate-${gate}-state`);
    cell.textContent = open === null ? "—" : open ? "открыт" : "закрыт";
    cell.className = `gate-state ${open ? "open" : ""}`;
  }
}

function renderFaults() {
  const lines = deviceFaults(state.hardware);
  const down = state.sockets.filter((socket) => !socket.live).length;
  if (state.sockets.length && down) lines.unshift("Нет связи с сервером: данные могут быть устаревшими");
  const box = $("faults");
  box.replaceChildren(
    ...lines.map((line) => {
      const item = document.createElement("div");
      item.textContent = line;
      return item;
    }),
  );
  show(box, lines.length > 0);
}

// ---- cameras

async function refreshCamera(camera) {
  if (state.cameraBusy[camera] || $("dashboard-view").hidden) return;
  state.cameraBusy[camera] = true;
  const square = $(`camera-${camera}`);
  try {
    const response = await api(`/hardware/cameras/snapshot/${camera}`, { raw: true });
    const url = URL.createObjectURL(await response.blob());
    square.querySelector("img").src = url;
    if (state.cameraUrls[camera]) URL.revokeObjectURL(state.cameraUrls[camera]);
    state.cameraUrls[camera] = url;
    square.classList.remove("bad");
    square.querySelector(".camera-note").textContent = "";
  } catch (error) {
    square.classList.add("bad");
    square.querySelector(".camera-note").textContent = `Камера ${camera}: ${error.message}`;
  } finally {
    state.cameraBusy[camera] = false;
  }
}

// ---- history

async function loadHistory() {
  const finished = $("history-filter").value;
  const query = new URLSearchParams({ skip: state.historySkip, limit: HISTORY_PAGE });
  if (finished) query.set("finished", finished);
  try {
    renderHistory(await api(`/trucks?${query}`));
  } catch (error) {
    notice(`Журнал: ${error.message}`);
  }
}

function cell(text, className = "") {
  const element = document.createElement("td");
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function renderHistory(trucks) {
  $("history-page").textContent = String(state.historySkip / HISTORY_PAGE + 1);
  $("history-next").disabled = trucks.length < HISTORY_PAGE;
  $("history-prev").disabled = state.historySkip === 0;
  const rows = trucks.map((truck) => {
    const weights = visitWeights(truck.actions);
    const row = document.createElement("tr");
    row.dataset.truckId = truck.id;
    row.className = truck.is_finished ? "finished" : "open";
    row.append(
      cell(String(truck.id)),
      cell(truck.truck_number, "number"),
      cell(state.products.get(truck.product_id) || "—", "product"),
      cell(formatKg(weights.entrance), "kg entrance"),
      cell(formatKg(weights.exit), "kg exit"),
      cell(formatKg(weights.tare), "kg tare"),
      cell(formatKg(weights.gross), "kg gross"),
      cell(formatKg(weights.net), "kg net"),
      cell(truck.is_finished ? "завершён" : "на территории", "status"),
      cell(formatTime(truck.created_at)),
    );
    const tools = document.createElement("td");
    if (!truck.is_finished || state.me?.is_superuser) {
      const trash = document.createElement("button");
      trash.type = "button";
      trash.className = "danger small";
      trash.title = "Удалить запись";
      trash.textContent = "удалить";
      trash.addEventListener("click", (event) => {
        event.stopPropagation();
        removeTruck(truck.id);
      });
      tools.append(trash);
    }
    row.append(tools);
    row.addEventListener("click", () => openTruck(truck.id));
    return row;
  });
  $("history").replaceChildren(...rows);
}

async function removeTruck(truckId) {
  if (!window.confirm(`Удалить запись визита #${truckId}?`)) return;
  try {
    await api(`/trucks/${truckId}`, { method: "DELETE" });
    notice(`Запись #${truckId} удалена`);
    await loadHistory();
  } catch (error) {
    notice(`Удаление #${truckId}: ${error.message}`);
  }
}

async function openTruck(truckId) {
  const dialog = $("truck-dialog");
  say("truck-message", "");
  try {
    const truck = await api(`/trucks/${truckId}`);
    dialog.dataset.truckId = truck.id;
    $("truck-dialog-id").textContent = `#${truck.id}`;
    $("truck-edit-number").value = truck.truck_number;
    $("truck-edit-finished").checked = Boolean(truck.is_finished);
    const products = [new Option("— не выбран —", "")];
    for (const [id, name] of state.products) products.push(new Option(name, String(id)));
    $("truck-edit-product").replaceChildren(...products);
    $("truck-edit-product").value = truck.product_id == null ? "" : String(truck.product_id);
    const rows = (truck.actions || []).map((action) => {
      const row = document.createElement("tr");
      row.append(
        cell(ACTION_LABELS[action.action_type] || action.action_type),
        cell(formatKg(action.weight)),
        cell(formatTime(action.created_at)),
      );
      const photos = document.createElement("td");
      for (const photo of action.photos || []) {
        const url = typeof photo === "string" ? photo : photo.url;
        if (!url || !url.startsWith("/")) continue;
        const link = document.createElement("a");
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener";
        const image = document.createElement("img");
        image.src = url;
        image.alt = "фото";
        image.className = "thumb";
        link.append(image);
        photos.append(link);
      }
      row.append(photos);
      return row;
    });
    $("truck-actions").replaceChildren(...rows);
    dialog.showModal();
  } catch (error) {
    notice(`Визит #${truckId}: ${error.message}`);
  }
}

async function saveTruck() {
  const truckId = $("truck-dialog").dataset.truckId;
  await api(`/trucks/${truckId}`, {
    method: "PUT",
    json: {
      truck_number: $("truck-edit-number").value.trim(),
      is_finished: $("truck-edit-finished").checked,
      product_id: $("truck-edit-product").value ? Number($("truck-edit-product").value) : null,
    },
  });
  say("truck-message", "Сохранено");
  await loadHistory();
}

async function deleteTruckFromDialog() {
  const truckId = $("truck-dialog").dataset.truckId;
  await api(`/trucks/${truckId}`, { method: "DELETE" });
  $("truck-dialog").close();
  notice(`Запись #${truckId} удалена`);
  await loadHistory();
}

// ---- process commands

function typedNumber() {
  return $("truck-number").value.trim();
}

async function startVisit() {
  const number = typedNumber();
  if (!number) throw new Error("Введите номер машины");
  const started = await api("/process/start", { method: "POST", json: { truck_number: number } });
  const product = $("product").value;
  if (product) {
    await api(`/trucks/${started.truck_id}`, { method: "PUT", json: { product_id: Number(product) } });
  }
  delete $("truck-number").dataset.edited;
  notice(`Взвешивание начато: ${number}, визит #${started.truck_id}`);
  await loadHistory();
  return started;
}

async function simulate() {
  const weight = Number($("sim-weight").value);
  if (!(weight > 0)) throw new Error("Укажите вес машины для симулятора");
  const started = await startVisit();
  await api("/simulator/truck", {
    method: "POST",
    json: { truck_number: typedNumber(), weight, anpr: false },
  });
  notice(`Симулятор: машина ${typedNumber()} заезжает на весы (${formatKg(weight)} кг), визит #${started.truck_id}`);
}

async function confirmWeight() {
  const frame = state.frame;
  if (!canConfirm(frame)) throw new Error("Вес ещё не стабилен");
  const body = { truck_id: frame.truck_id, confirmed_weight: frame.current_weight };
  const number = typedNumber();
  if (number && number !== frame.truck_number) body.truck_number = number;
  const answer = await api("/process/confirm", { method: "POST", json: body });
  notice(`Вес ${formatKg(frame.current_weight)} кг зафиксирован (запись #${answer.action_id})`);
  await loadHistory();
}

async function resetProcess() {
  await api("/process/reset", { method: "POST" });
  delete $("truck-number").dataset.edited;
  notice("Процесс сброшен");
}

async function simulateLeave() {
  await api("/simulator/truck/leave", { method: "POST" });
  notice("Симулятор: машина съезжает с весов");
}

async function gateCommand(button) {
  const { gate, action } = button.dataset;
  await guarded(button, "control-error", async () => {
    const answer = await api(`/hardware/gates/${gate}/${action}`, { method: "POST" });
    notice(answer.message || `Шлагбаум ${gate}: команда отправлена`);
  });
}

// ---- products

async function loadProducts() {
  const select = $("product");
  const chosen = select.value;
  try {
    const products = await api("/products");
    state.products = new Map(products.map((product) => [product.id, product.name]));
    const options = [new Option("— не выбран —", "")];
    for (const product of products) options.push(new Option(product.name, String(product.id)));
    options.push(new Option("Добавить…", "__add"));
    select.replaceChildren(...options);
    select.value = chosen && chosen !== "__add" ? chosen : "";
  } catch (error) {
    notice(`Грузы: ${error.message}`);
  }
}

async function productChosen() {
  const select = $("product");
  if (select.value !== "__add") return;
  const name = (window.prompt("Название нового груза") || "").trim();
  select.value = "";
  if (!name) return;
  try {
    const product = await api("/products", { method: "POST", json: { name } });
    await loadProducts();
    select.value = String(product.id);
  } catch (error) {
    say("control-error", error.message, true);
  }
}

// ---- reports

function openReports() {
  const today = isoDate(new Date());
  if (!$("report-from").value) $("report-from").value = today;
  if (!$("report-to").value) $("report-to").value = today;
  say("report-message", "");
  $("reports-dialog").showModal();
}

function reportQuery() {
  const from = $("report-from").value;
  const to = $("report-to").value;
  if (!from || !to) throw new Error("Укажите обе даты");
  if (from > to) throw new Error("Дата «с» позже даты «по»");
  return new URLSearchParams({ date_from: from, date_to: to });
}

async function loadSummary() {
  const summary = await api(`/reports/summary?${reportQuery()}`);
  const entries = [
    ["Машин", String(summary.total_trucks)],
    ["Вес на въезде, кг", formatKg(summary.total_weight_in)],
    ["Вес на выезде, кг", formatKg(summary.total_weight_out)],
  ];
  $("summary").replaceChildren(
    ...entries.flatMap(([term, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

async function downloadExcel() {
  const query = reportQuery();
  const response = await api(`/reports/export/excel?${query}`, { raw: true });
  const disposition = response.headers.get("Content-Disposition") || "";
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = named ? decodeURIComponent(named[1]) : `weighbridge_${query.get("date_from")}_${query.get("date_to")}.xlsx`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  say("report-message", `Файл ${name} скачан`);
}

// ---- settings

function settingInput(path, value) {
  const label = document.createElement("label");
  const key = path[path.length - 1];
  label.textContent = SETTING_LABELS[path.join(".")] || key;
  const input = document.createElement("input");
  input.dataset.path = path.join(".");
  input.name = path.join(".");
  if (typeof value === "boolean") {
    input.type = "checkbox";
    input.checked = value;
    label.className = "inline";
    label.prepend(input);
    return label;
  }
  input.type = typeof value === "number" ? "number" : "text";
  if (input.type === "number") input.step = "any";
  input.value = value === null ? "" : Array.isArray(value) ? JSON.stringify(value) : String(value);
  label.append(input);
  return label;
}

function settingFields(object, path = []) {
  const nodes = [];
  for (const [key, value] of Object.entries(object)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const group = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = key;
      group.append(legend, ...settingFields(value, [...path, key]));
      nodes.push(group);
    } else {
      nodes.push(settingInput([...path, key], value));
    }
  }
  return nodes;
}

async function loadSettings() {
  say("settings-message", "");
  try {
    state.settings = await api("/settings");
    $("settings-fields").replaceChildren(...settingFields(state.settings));
    const readOnly = !state.me?.is_superuser;
    for (const input of $("settings-fields").querySelectorAll("input")) input.disabled = readOnly;
    show($("settings-save"), !readOnly);
    if (readOnly) say("settings-message", "Изменять настройки может только администратор");
  } catch (error) {
    say("settings-message", error.message, true);
  }
}

function editedSettings() {
  const edited = structuredClone(state.settings);
  for (const input of $("settings-fields").querySelectorAll("input[data-path]")) {
    const path = input.dataset.path.split(".");
    let target = edited;
    let before = state.settings;
    for (const key of path.slice(0, -1)) {
      target = target[key];
      before = before[key];
    }
    const key = path[path.length - 1];
    target[key] = input.type === "checkbox" ? input.checked : parseSetting(input.value, before[key]);
  }
  return edited;
}

async function saveSettings(event) {
  event.preventDefault();
  const changes = changedSettings(state.settings, editedSettings());
  if (!Object.keys(changes).length) {
    say("settings-message", "Изменений нет");
    return;
  }
  try {
    await api("/settings", { method: "PUT", json: changes });
    await loadSettings();
    say("settings-message", "Настройки сохранены и применены");
  } catch (error) {
    say("settings-message", error.message, true);
  }
}

// ---- profile

function renderProfile() {
  const me = state.me;
  const entries = [
    ["Телефон", me.phone_number],
    ["Роль", me.is_superuser ? "администратор" : "оператор"],
    ["Активен", me.is_active ? "да" : "нет"],
    ["Весы", me.internal_scale_id ?? "—"],
  ];
  $("profile").replaceChildren(
    ...entries.flatMap(([term, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = String(value);
      return [dt, dd];
    }),
  );
  show($("user-form"), Boolean(me.is_superuser));
}

async function changePassword(event) {
  event.preventDefault();
  const next = $("new-password").value;
  if (next !== $("new-password-2").value) {
    say("password-message", "Новые пароли не совпадают", true);
    return;
  }
  try {
    await api("/users/change-password", {
      method: "POST",
      json: { old_password: $("old-password").value, new_password: next },
    });
    event.target.reset();
    logout("Пароль изменён. Войдите с новым паролем");
  } catch (error) {
    say("password-message", error.message, true);
  }
}

async function createUser(event) {
  event.preventDefault();
  try {
    const user = await api("/users", {
      method: "POST",
      json: { phone_number: $("user-phone").value.trim(), password: $("user-password").value },
    });
    event.target.reset();
    say("user-message", `Сотрудник ${user.phone_number} создан`);
  } catch (error) {
    say("user-message", error.message, true);
  }
}

// ---- views and start-up

function showView(name) {
  for (const view of ["dashboard", "settings", "profile"]) show($(`${view}-view`), view === name);
  for (const button of document.querySelectorAll("button.nav")) {
    button.classList.toggle("current", button.dataset.view === name);
  }
  if (name === "settings") loadSettings();
  if (name === "profile") renderProfile();
}

function every(period, action) {
  state.timers.push(setInterval(action, period));
}

async function boot() {
  try {
    state.me = await api("/users/me");
  } catch (error) {
    if (state.token) logout(error.status === 401 ? "" : error.message);
    return;
  }
  show($("login-view"), false);
  show($("app-view"), true);
  $("whoami").textContent = state.me.phone_number;
  showView("dashboard");
  renderGates();
  startFeeds();
  renderLink();
  loadProducts().then(loadHistory);
  for (const camera of [1, 2]) {
    refreshCamera(camera);
    every(CAMERA_PERIOD_MS, () => refreshCamera(camera));
  }
  every(HISTORY_PERIOD_MS, loadHistory);
}

function wire() {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", () => logout());
  for (const button of document.querySelectorAll("button.nav")) {
    button.addEventListener("click", () => showView(button.dataset.view));
  }
  $("truck-number").addEventListener("input", (event) => {
    event.target.dataset.edited = "1";
  });
  $("start").addEventListener("click", (event) => guarded(event.currentTarget, "control-error", startVisit));
  $("simulate").addEventListener("click", (event) => guarded(event.currentTarget, "control-error", simulate));
  $("sim-leave").addEventListener("click", (event) => guarded(event.currentTarget, "control-error", simulateLeave));
  $("confirm").addEventListener("click", (event) => guarded(event.currentTarget, "control-error", confirmWeight));
  $("reset").addEventListener("click", (event) => guarded(event.currentTarget, "control-error", resetProcess));
  $("gates").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-gate]");
    if (button) gateCommand(button);
  });
  $("product").addEventListener("change", productChosen);
  $("history-filter").addEventListener("change", () => {
    state.historySkip = 0;
    loadHistory();
  });
  $("history-prev").addEventListener("click", () => {
    state.historySkip = Math.max(0, state.historySkip - HISTORY_PAGE);
    loadHistory();
  });
  $("history-next").addEventListener("click", () => {
    state.historySkip += HISTORY_PAGE;
    loadHistory();
  });
  $("reports-open").addEventListener("click", openReports);
  $("report-summary").addEventListener("click", (event) => guarded(event.currentTarget, "report-message", loadSummary));
  $("report-excel").addEventListener("click", (event) => guarded(event.currentTarget, "report-message", downloadExcel));
  $("truck-save").addEventListener("click", (event) => guarded(event.currentTarget, "truck-message", saveTruck));
  $("truck-delete").addEventListener("click", (event) =>
    guarded(event.currentTarget, "truck-message", deleteTruckFromDialog),
  );
  $("settings-form").addEventListener("submit", saveSettings);
  $("password-form").addEventListener("submit", changePassword);
  $("user-form").addEventListener("submit", createUser);
}

wire();
if (state.token) {
  boot();
} else {
  logout();
}
