// Data the server hands to a page through Django's json_script.
export function readJson(id) {
  return JSON.parse(document.getElementById(id).textContent);
}
