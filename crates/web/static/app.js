// thutuc: progressive enhancements only; every page works without this file.
"use strict";
document.addEventListener("click", function (ev) {
  var t = ev.target.closest("[data-print]");
  if (t) { ev.preventDefault(); window.print(); }
});
// Close the suggestion list with Escape and keep focus in the search box.
document.addEventListener("keydown", function (ev) {
  if (ev.key !== "Escape") { return; }
  var box = document.getElementById("suggest");
  if (box) { box.innerHTML = ""; }
});
