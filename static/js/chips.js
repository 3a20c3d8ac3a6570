// Label chips and label colours, the same on the annotate and the review pages.
//
// Colours come from the database; a constructed stylesheet (CSSOM) is allowed under our
// Content-Security-Policy where style attributes are not. Every element carrying
// data-span-label="<slug>" gets its label's colour as --label-color.

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;
const FALLBACK_COLOUR = "#ffd54f";

export function installLabelColours(labels) {
  const sheet = new CSSStyleSheet();
  for (const label of labels) {
    const colour = HEX_COLOUR.test(label.color) ? label.color : FALLBACK_COLOUR;
    const slug = CSS.escape(label.slug);
    sheet.insertRule(`[data-span-label="${slug}"], [data-label="${slug}"] { --label-color: ${colour}; }`);
  }
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

// A label's name in a chip; names are edited in the admin, so they are user text.
export function labelChip(slug, labels, chip = document.createElement("span")) {
  chip.classList.add("label-chip");
  chip.dataset.spanLabel = slug;
  chip.dir = "auto";
  chip.textContent = labels.get(slug)?.name || slug;
  return chip;
}
