// Starts GOV.UK Frontend and MOJ Frontend.
//
// The GOV.UK page template sets these body classes with an inline script, which
// our Content Security Policy forbids. A module script runs only in browsers
// that support ES modules, which is exactly what "govuk-frontend-supported"
// claims, so it is safe to set both here.
import { initAll as initGovukFrontend } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj/moj-frontend.min.js";
import { keepRevealsValid } from "./reveals.mjs";
import { startTimeoutWarning } from "./timeout.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initGovukFrontend();
keepRevealsValid(document.body);
initMojFrontend();
startTimeoutWarning(document.querySelector('[data-module="onestory-timeout"]'));
