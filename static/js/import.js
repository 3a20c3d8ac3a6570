// The upload page: post the file to the import API, then follow the job to done or failed.
// Everything shown comes from the server (limits, statuses, errors); user text via textContent.

import { ApiError, describeError } from "./api.js";

const POLL_MS = 500;

const form = document.querySelector("[data-import-form]");
const formErrors = form.querySelector("[data-form-errors]");
const submit = form.querySelector("button[type=submit]");
const section = document.querySelector("[data-job]");
const progress = section.querySelector("[data-job-progress]");
const statusText = section.querySelector("[data-job-status]");
const countText = section.querySelector("[data-job-count]");
const summary = section.querySelector("[data-job-summary]");
const errorList = section.querySelector("[data-job-errors]");
const articles = section.querySelector("[data-job-articles]");

async function getJSON(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, ...options });
  } catch {
    throw new ApiError(0, null, "The server could not be reached (network error). Try again when you are back online.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data, describeError(response.status, data));
  return data;
}

function show(job) {
  section.hidden = false;
  statusText.textContent = job.status;
  section.dataset.status = job.status;
  const total = job.total || 0;
  progress.max = Math.max(total, 1);
  progress.value = job.status === "done" ? progress.max : job.processed;
  countText.textContent = `${job.processed} of ${total} records`;
  if (job.status === "done") {
    summary.hidden = false;
    summary.textContent =
      `Articles: ${job.created} created, ${job.updated} updated, ${job.unchanged} unchanged; spans: ${job.spans} created.`;
    articles.hidden = false;
  }
  errorList.replaceChildren();
  errorList.hidden = !job.errors.length;
  for (const error of job.errors) {
    const item = document.createElement("li");
    item.dir = "auto";
    item.textContent = error.line ? `line ${error.line}: ${error.message}` : error.message;
    errorList.append(item);
  }
}

async function follow(url) {
  for (;;) {
    const job = await getJSON(url);
    show(job);
    if (job.status === "done" || job.status === "failed") return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  formErrors.textContent = "";
  const file = form.elements.file.files[0];
  if (!file) {
    formErrors.textContent = "Choose a file to import.";
    return;
  }
  if (file.size > Number(form.dataset.maxBytes)) {
    // The server refuses it too (413); saying so here saves the upload.
    formErrors.textContent = `The file is larger than the upload limit of ${Number(form.dataset.maxBytes).toLocaleString()} bytes.`;
    return;
  }
  submit.disabled = true;
  section.hidden = true;
  summary.hidden = true;
  articles.hidden = true;
  try {
    const body = new FormData(form);
    body.delete("csrfmiddlewaretoken");
    const queued = await getJSON(form.dataset.uploadUrl, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    });
    section.querySelector("[data-job-file]").textContent = file.name;
    show({ status: queued.status, processed: 0, total: 0, errors: [] });
    await follow(queued.url);
  } catch (error) {
    formErrors.textContent = error instanceof ApiError ? error.message : String(error);
  } finally {
    submit.disabled = false;
  }
});
