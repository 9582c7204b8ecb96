// Table selection: "all on this page" ticks every row; the "all matching"
// banner appears once the whole page is ticked. No framework, no network.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-bulk]").forEach(function (form) {
    var master = form.querySelector("input[data-select-page]");
    var rows = form.querySelectorAll("input[name=ids]");
    var banner = form.querySelector("[data-select-all-banner]");
    var scope = form.querySelector("input[name=scope]");
    function refresh() {
      var ticked = Array.prototype.filter.call(rows, function (r) { return r.checked; });
      if (master) { master.checked = rows.length > 0 && ticked.length === rows.length; }
      if (banner) { banner.hidden = !(master && master.checked); }
      if (scope && !(master && master.checked)) { scope.value = "ids"; }
      var counter = form.querySelector("[data-selected-count]");
      if (counter) { counter.textContent = scope && scope.value === "all" ? counter.dataset.total : ticked.length; }
    }
    if (master) {
      master.addEventListener("change", function () {
        rows.forEach(function (r) { r.checked = master.checked; });
        refresh();
      });
    }
    rows.forEach(function (r) { r.addEventListener("change", refresh); });
    form.querySelectorAll("[data-select-all]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        if (scope) { scope.value = "all"; }
        button.setAttribute("aria-pressed", "true");
        refresh();
      });
    });
    refresh();
  });
});
