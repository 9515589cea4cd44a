// Small progressive enhancements. Every page works without this file.
document.documentElement.classList.add("js");

// Show a range input's number while the thumb moves; the server only hears of it
// when the thumb is released.
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.output) return;
  const output = document.getElementById(input.dataset.output);
  if (output) output.textContent = input.value;
});

// Copy a draft to the clipboard: <button data-copy="id-of-textarea">.
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  await navigator.clipboard.writeText(source.value);
  const label = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = label; }, 2000);
});

// Ask before a step that cannot be taken back: <form data-confirm="question">.
// Without JavaScript the form posts at once, as a plain form should.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A PDF takes a moment to make: <a data-prepare="id-of-a-status-element">, or a
// submit <button formaction=... data-prepare=...> for a download that posts. It says
// it is working, and the status says when the file has arrived. The server answers
// the file with a cookie carrying the token sent here (see the download_ready_cookie
// middleware); a slow or failed file just times out quietly.
document.addEventListener("click", (event) => {
  const trigger =
    event.target instanceof Element
      ? event.target.closest("a[data-prepare], button[data-prepare]")
      : null;
  if (!trigger || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (trigger.getAttribute("aria-disabled") === "true") {
    event.preventDefault();
    return;
  }
  const status = document.getElementById(trigger.dataset.prepare);
  const token = Math.random().toString(36).slice(2, 14);
  const isLink = trigger instanceof HTMLAnchorElement;
  const original = isLink ? trigger.href : trigger.formAction;
  const url = new URL(original);
  url.searchParams.set("prepared", token);
  trigger.setAttribute("aria-disabled", "true");
  if (status) status.textContent = "Preparing the PDF…";
  if (isLink) {
    event.preventDefault();
    window.location.assign(url);
  } else {
    trigger.formAction = url.href; // the click goes on to submit the form there
  }
  const started = Date.now();
  const timer = setInterval(() => {
    const ready = document.cookie.split("; ").includes(`prepared=${token}`);
    if (!ready && Date.now() - started < 60000) return;
    clearInterval(timer);
    document.cookie = "prepared=; Max-Age=0; path=/; SameSite=Strict";
    trigger.removeAttribute("aria-disabled");
    if (!isLink) trigger.formAction = original;
    if (status) status.textContent = ready ? "The PDF is ready: look in your downloads." : "";
  }, 250);
});

// Show a field only while another's answer makes it matter: <div data-shown-when=
// "salary_period=monthly">, <div data-hidden-when="currency=EUR">, several values
// by commas. A field with an error stays in sight. Without JavaScript every field
// shows, and the server ignores what does not apply.
function followAnswers(form) {
  for (const element of form.querySelectorAll("[data-shown-when], [data-hidden-when]")) {
    const shownWhen = element.dataset.shownWhen;
    const [name, values] = (shownWhen ?? element.dataset.hiddenWhen).split("=");
    const control = form.elements.namedItem(name);
    const matches = control !== null && values.split(",").includes(control.value);
    const shown = shownWhen === undefined ? !matches : matches;
    element.hidden = !shown && element.querySelector(".field--invalid") === null;
  }
}
document.addEventListener("change", (event) => {
  if (event.target instanceof Element && event.target.form) followAnswers(event.target.form);
});
for (const form of document.forms) followAnswers(form);
