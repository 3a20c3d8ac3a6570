// Small JSON client for /api/: session auth with Django's CSRF header, errors as ApiError.

export class ApiError extends Error {
  // status 0 means the request never reached the server (offline, DNS, refused).
  constructor(status, data, message) {
    super(message);
    this.status = status;
    this.data = data;
  }

  get isNetwork() {
    return this.status === 0;
  }
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

// One readable sentence out of DRF's error bodies ({"detail": ...} or {"field": [...]}).
export function describeError(status, data) {
  if (data && typeof data.detail === "string") return data.detail;
  if (data && typeof data === "object") {
    const parts = [];
    for (const [field, value] of Object.entries(data)) {
      if (field === "current") continue;
      const messages = flattenMessages(value);
      if (messages.length) parts.push(field === "non_field_errors" ? messages.join(" ") : `${field}: ${messages.join(" ")}`);
    }
    if (parts.length) return parts.join("; ");
  }
  if (status === 401 || status === 403) return "You are signed out or not allowed to do this. Sign in again (in another tab), then retry.";
  if (status === 404) return "Not found: it may have been deleted.";
  if (status >= 500) return `The server had a problem (HTTP ${status}). Retry in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

export function flattenMessages(value) {
  if (value == null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(flattenMessages);
  if (typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => flattenMessages(inner).map((m) => `${key}: ${m}`));
  }
  return [String(value)];
}

export class Api {
  constructor(base) {
    this.base = base.endsWith("/") ? base : `${base}/`;
  }

  async request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(0, null, "The server could not be reached (network error). Nothing was lost: retry when you are back online.");
    }
    let data = null;
    if (response.status !== 204) {
      const text = await response.text();
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        data = null;
      }
    }
    if (!response.ok) throw new ApiError(response.status, data, describeError(response.status, data));
    return data;
  }

  get(path) {
    return this.request("GET", path);
  }

  post(path, body) {
    return this.request("POST", path, body);
  }

  patch(path, body) {
    return this.request("PATCH", path, body);
  }

  delete(path, body) {
    return this.request("DELETE", path, body);
  }
}
