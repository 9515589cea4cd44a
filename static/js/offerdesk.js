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
