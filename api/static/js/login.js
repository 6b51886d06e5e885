// The sign-in page: exchange a username and password for a token, then open the page for the role.

import { ApiError, post, put, saveSession, session } from "./api.js";
import { currentLang, hasChosenLang, setLang, t } from "./i18n.js";
import { HOME_BY_ROLE, errorText, notify, startPage } from "./page.js";

async function signIn(event) {
  event.preventDefault();
  const form = event.target;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  notify("");
  try {
    const answer = await post("/api/auth/login", {
      username: form.username.value.trim(),
      password: form.password.value,
    });
    saveSession(answer);
    await keepLanguage(answer);
    window.location.assign(HOME_BY_ROLE[answer.role] || "/manager");
  } catch (error) {
    const wrong = error instanceof ApiError && (error.status === 401 || error.status === 403);
    notify(wrong ? t("login.wrong_credentials") : errorText(error), "error");
  } finally {
    button.disabled = false;
  }
}

/** The account's language wins; an account without a choice takes the one picked on this page. */
async function keepLanguage(answer) {
  if (answer.language) {
    setLang(answer.language);
  } else if (hasChosenLang()) {
    await put("/api/users/me/language", { language: currentLang() }).catch(() => {});
  }
}

async function main() {
  await startPage();
  const current = session();
  const goOn = document.getElementById("continue");
  if (current?.role && HOME_BY_ROLE[current.role]) {
    goOn.hidden = false;
    goOn.href = HOME_BY_ROLE[current.role];
    goOn.textContent = t("login.continue_as", { user: current.username });
  }
  document.getElementById("login-form").addEventListener("submit", signIn);
}

main();
