// GOV.UK's conditional reveals, kept valid ARIA (decision 0024).
//
// govuk-frontend's Radios module reveals an answer's questions and marks each
// radio that controls one with aria-expanded. ARIA does not allow
// aria-expanded on a radio (axe's aria-allowed-attr; govuk-frontend issue 979),
// and our pages keep 0 axe violations, so it is taken off a radio whenever it is
// set. The reveal itself, aria-controls and the questions' place straight
// after their answer are GOV.UK's. Checkboxes may carry aria-expanded: theirs
// stays. Without JavaScript nothing here runs and every question shows.

export function keepRevealsValid(root) {
  const strip = (input) => input.removeAttribute("aria-expanded");
  const radios = 'input[type="radio"][aria-expanded]';
  root.querySelectorAll(radios).forEach(strip);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.target.matches(radios)) strip(change.target);
    }
  }).observe(root, { attributes: true, attributeFilter: ["aria-expanded"], subtree: true });
}
