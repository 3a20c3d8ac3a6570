// The annotate page's claim box: make a claim from the open span ("New claim"), or add
// the span to a claim the project already has ("Same as…", ranked by the server).
// It follows the span panel through data-annotation-id on the span form (panel.js),
// and talks to /api/claims/ and /api/annotations/{id}/claim-matches/.

import { Api } from "./api.js";

const box = document.querySelector("[data-claim-box]");
const form = document.querySelector("[data-span-form]");

if (box && form) {
  const api = new Api(box.dataset.api);
  const claimsPage = box.dataset.claimsPage;
  const current = box.querySelector("[data-claim-current]");
  const matchList = box.querySelector("[data-claim-matches]");
  const error = box.querySelector("[data-claim-error]");
  const newButton = box.querySelector("[data-action=new-claim]");
  const sameButton = box.querySelector("[data-action=same-as]");
  let spanId = null;
  let loading = 0; // answers for a span the panel has left are dropped

  const say = (message) => {
    error.textContent = message || "";
  };

  function showClaim(claim) {
    current.replaceChildren();
    if (!claim) {
      current.textContent = "This span is not part of a claim yet.";
      newButton.hidden = false;
      sameButton.hidden = false;
      return;
    }
    const link = document.createElement("a");
    link.href = `${claimsPage}${claim.id}/`;
    link.dir = "auto";
    link.lang = claim.language;
    link.textContent = claim.statement;
    link.dataset.testid = "span-claim";
    current.append("Makes the claim: ", link);
    newButton.hidden = true;
    sameButton.hidden = true;
    closeMatches();
  }

  function closeMatches() {
    matchList.replaceChildren();
    matchList.hidden = true;
    sameButton.setAttribute("aria-expanded", "false");
  }

  async function follow() {
    const id = form.hidden ? null : form.dataset.annotationId || null;
    if (id === spanId) return;
    spanId = id;
    const ticket = ++loading;
    say("");
    closeMatches();
    box.hidden = id === null;
    if (id === null) return;
    current.textContent = "…";
    try {
      const page = await api.get(`claims/?annotation=${encodeURIComponent(id)}`);
      if (ticket === loading) showClaim(page.results[0] || null);
    } catch (problem) {
      if (ticket === loading) say(problem.message);
    }
  }

  async function createClaim() {
    const id = spanId;
    say("");
    try {
      const claim = await api.post("claims/", { annotation: Number(id) });
      if (id === spanId) showClaim(claim);
    } catch (problem) {
      say(problem.message);
    }
  }

  async function attach(claimId) {
    const id = spanId;
    say("");
    try {
      const claim = await api.post(`claims/${claimId}/appearances/`, { annotation: Number(id) });
      if (id === spanId) showClaim(claim);
    } catch (problem) {
      say(problem.message);
    }
  }

  function matchButton(match) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "claim-match";
    button.dataset.claim = String(match.claim);
    const statement = document.createElement("span");
    statement.className = "claim-match-statement";
    statement.dir = "auto";
    statement.lang = match.language;
    statement.textContent = match.statement;
    const reasons = document.createElement("span");
    reasons.className = "claim-match-reasons";
    reasons.dir = "auto";
    reasons.textContent = `${Math.round(match.score * 100)}% · ${match.reasons.join(" · ")}`;
    button.append(statement, reasons);
    button.addEventListener("click", () => attach(match.claim));
    return button;
  }

  async function showMatches() {
    const id = spanId;
    say("");
    matchList.hidden = false;
    sameButton.setAttribute("aria-expanded", "true");
    matchList.replaceChildren(Object.assign(document.createElement("li"), { textContent: "Looking for the same claim…" }));
    try {
      const { matches } = await api.get(`annotations/${encodeURIComponent(id)}/claim-matches/`);
      if (id !== spanId) return;
      matchList.replaceChildren();
      if (!matches.length) {
        matchList.append(Object.assign(document.createElement("li"), { textContent: "No similar claim in this project." }));
        return;
      }
      for (const match of matches) {
        const item = document.createElement("li");
        item.append(matchButton(match));
        matchList.append(item);
      }
      matchList.querySelector("button").focus();
    } catch (problem) {
      closeMatches();
      say(problem.message);
    }
  }

  // Up and down arrows walk the ranked list; Escape closes it and returns to "Same as…".
  matchList.addEventListener("keydown", (event) => {
    const buttons = [...matchList.querySelectorAll("button")];
    const index = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      buttons[(index + step + buttons.length) % buttons.length]?.focus();
    } else if (event.key === "Escape") {
      // Handled here: the page's own Escape would close the span panel.
      event.preventDefault();
      closeMatches();
      sameButton.focus();
    }
  });

  newButton.addEventListener("click", createClaim);
  sameButton.addEventListener("click", () => (matchList.hidden ? showMatches() : closeMatches()));
  new MutationObserver(follow).observe(form, { attributes: true, attributeFilter: ["hidden", "data-annotation-id"] });
  follow();
}
