// Pure helpers of the operator page: no DOM, no network, so a browser test can call each one directly.

export const STATUS_LABELS = {
  IDLE: "Ожидание",
  ENTERING: "Заезд",
  WEIGHING: "Взвешивание",
  CONFIRMATION: "Подтверждение",
};

export const ACTION_LABELS = { ENTRANCE: "Въезд", EXIT: "Выезд" };

/** Russian name of a process state; an unknown state is shown as it came. */
export function statusLabel(state) {
  return STATUS_LABELS[state] || String(state || "—");
}

/** Kilograms with a thin space between thousands: 24500 -> "24 500", null -> "—". */
export function formatKg(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "—";
  const rounded = Math.round(Number(value) * 10) / 10;
  const [whole, fraction] = Math.abs(rounded).toFixed(1).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  const sign = rounded < 0 ? "−" : "";
  return fraction === "0" ? sign + grouped : `${sign}${grouped},${fraction}`;
}

/** The first action of each type: {entrance, exit} weights in kg (null when that pass is missing). */
export function passes(actions) {
  const found = { entrance: null, exit: null };
  for (const action of actions || []) {
    if (action.action_type === "ENTRANCE" && found.entrance === null) found.entrance = Number(action.weight);
    if (action.action_type === "EXIT" && found.exit === null) found.exit = Number(action.weight);
  }
  return found;
}

/** Tare, gross and net of a visit: gross the heavier pass, tare the lighter, net their difference. */
export function visitWeights(actions) {
  const { entrance, exit } = passes(actions);
  if (entrance === null || exit === null) return { entrance, exit, tare: null, gross: null, net: null };
  const gross = Math.max(entrance, exit);
  const tare = Math.min(entrance, exit);
  return { entrance, exit, tare, gross, net: Math.round((gross - tare) * 1000) / 1000 };
}

/** Confirm is offered only in CONFIRMATION, on a stable weight, for a truck the server named. */
export function canConfirm(frame) {
  return Boolean(
    frame && frame.scale_status === "CONFIRMATION" && frame.is_stable === true && frame.truck_id != null,
  );
}

/** Start is offered only while the bridge is idle and a number is typed. */
export function canStart(frame, truckNumber) {
  return Boolean((!frame || frame.scale_status === "IDLE") && String(truckNumber || "").trim());
}

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling, capped at `cap` ms. */
export function backoffDelay(attempt, base = 500, cap = 10000) {
  return Math.min(cap, base * 2 ** Math.max(0, attempt));
}

/** ws:// or wss:// URL of `path` on the page's own host, with the token as `?token=`. */
export function socketUrl(location, path, token) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}?token=${encodeURIComponent(token)}`;
}

/** A readable message from an error body of the API (FastAPI detail, validation list, or message). */
export function errorText(body, status) {
  if (body && typeof body === "object") {
    const detail = body.detail ?? body.message ?? body.error;
    if (typeof detail === "string" && detail) return detail;
    if (Array.isArray(detail) && detail.length) {
      return detail
        .map((item) => {
          const where = Array.isArray(item.loc) ? item.loc.filter((part) => part !== "body").join(".") : "";
          return where ? `${where}: ${item.msg}` : String(item.msg ?? item);
        })
        .join("; ");
    }
    if (detail && typeof detail === "object") return errorText(detail, status);
  }
  if (typeof body === "string" && body.trim()) return body.trim();
  return status ? `Ошибка ${status}` : "Нет связи с сервером";
}

/** A date as YYYY-MM-DD in the browser's own time zone. */
export function isoDate(date) {
  const pad = (number) => String(number).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "2026-02-01T10:30:00" -> "01.02.2026 10:30"; anything else as it came. */
export function formatTime(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(String(value || ""));
  return match ? `${match[3]}.${match[2]}.${match[1]} ${match[4]}:${match[5]}` : String(value || "—");
}

/** The device faults a hardware status shows, as Russian lines (empty when all is well). */
export function deviceFaults(status) {
  if (!status) return [];
  const faults = [];
  if (status.scale_connection === false) faults.push("Весы: нет связи с весовым терминалом");
  if (status.controller === false) faults.push("Контроллер: нет связи (шлагбаумы и датчики)");
  if (status.camera_1 === false) faults.push("Камера 1 (въезд): недоступна");
  if (status.camera_2 === false) faults.push("Камера 2 (выезд): недоступна");
  return faults;
}

/** The fields of a settings form whose value differs from the loaded settings: the body of a partial PUT. */
export function changedSettings(loaded, edited) {
  const changes = {};
  for (const [key, value] of Object.entries(edited)) {
    const before = loaded[key];
    if (value && typeof value === "object" && !Array.isArray(value) && before && typeof before === "object") {
      const inner = changedSettings(before, value);
      if (Object.keys(inner).length) changes[key] = inner;
    } else if (JSON.stringify(value) !== JSON.stringify(before)) {
      changes[key] = value;
    }
  }
  return changes;
}

/** A value typed into a settings input, read back in the type the loaded value had. */
export function parseSetting(text, before) {
  if (typeof before === "number") {
    const number = Number(String(text).replace(",", ".").trim());
    return String(text).trim() === "" || Number.isNaN(number) ? text : number;
  }
  if (typeof before === "boolean") return Boolean(text);
  if (before === null && String(text).trim() === "") return null;
  if (Array.isArray(before)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
