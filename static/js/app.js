// Table selection: "all on this page" ticks every row; once the whole page is
// ticked a banner offers "all N matching this filter", which sets scope=all so
// the server rebuilds the set from the filter. No framework, no network.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-bulk]").forEach(function (form) {
    var master = form.querySelector("input[data-select-page]");
    var rows = form.querySelectorAll("input[name=ids]");
    var banner = form.querySelector("[data-select-all-banner]");
    var scope = form.querySelector("input[name=scope]");
    var allButton = form.querySelector("[data-select-all]");
    var allNote = form.querySelector("[data-all-selected]");
    var counter = form.querySelector("[data-selected-count]");
    function refresh() {
      var ticked = Array.prototype.filter.call(rows, function (r) { return r.checked; });
      var pageTicked = rows.length > 0 && ticked.length === rows.length;
      if (master) { master.checked = pageTicked; master.indeterminate = ticked.length > 0 && !pageTicked; }
      if (banner) { banner.hidden = !pageTicked; }
      if (scope && !pageTicked) { scope.value = "ids"; }
      var all = scope && scope.value === "all";
      if (allButton) { allButton.hidden = all; }
      if (allNote) { allNote.hidden = !all; }
      if (counter) { counter.textContent = all ? counter.dataset.total : ticked.length; }
      Array.prototype.forEach.call(rows, function (r) {
        var tr = r.closest("tr");
        if (tr) { tr.classList.toggle("ticked", r.checked); }
      });
    }
    if (master) {
      master.addEventListener("change", function () {
        rows.forEach(function (r) { r.checked = master.checked; });
        refresh();
      });
    }
    rows.forEach(function (r) { r.addEventListener("change", refresh); });
    if (allButton) {
      allButton.addEventListener("click", function (event) {
        event.preventDefault();
        if (scope) { scope.value = "all"; }
        refresh();
      });
    }
    refresh();
  });
  // Close an open Operation menu when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-operation-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
});
