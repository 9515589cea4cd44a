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
