// Tables on a phone: each cell carries its column's heading in data-label, and the table
// the class "cards", so that the stylesheet (under max-width: 760px) can show each row as
// a card with the heading before each value instead of squeezing the columns.
// A table opts out with data-cards="off"; tables without a heading row, or with fewer than
// four columns, are left alone.
(function () {
  "use strict";

  function headingRow(table) {
    var row = table.tHead && table.tHead.rows.length
      ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!row && table.rows.length) {
      var first = table.rows[0];
      var allHeadings = first.cells.length > 1;
      for (var i = 0; i < first.cells.length; i++) {
        if (first.cells[i].tagName !== "TH") { allHeadings = false; }
      }
      if (allHeadings) { row = first; }
    }
    return row;
  }

  function labels(row) {
    var out = [];
    for (var i = 0; i < row.cells.length; i++) {
      var cell = row.cells[i];
      var text = (cell.getAttribute("aria-label") || cell.textContent || "").replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span++) { out.push(text); }
    }
    return out;
  }

  function label(table) {
    if (table.dataset.cards === "off" || table.classList.contains("cards")) { return; }
    var head = headingRow(table);
    if (!head) { return; }
    var names = labels(head);
    // Two or three columns fit a phone's width as they are.
    if (names.length < 4) { return; }
    for (var r = 0; r < table.rows.length; r++) {
      var row = table.rows[r];
      if (row === head || (table.tHead && row.parentNode === table.tHead)) { continue; }
      var column = 0;
      for (var c = 0; c < row.cells.length; c++) {
        var cell = row.cells[c];
        var span = cell.colSpan || 1;
        if (span === 1 && names[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += span;
      }
    }
    if (head.parentNode !== table.tHead) { head.classList.add("cards-head"); }
    table.classList.add("cards");
  }

  function labelAll(root) {
    var tables = (root || document).querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) { label(tables[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { labelAll(); });
  } else {
    labelAll();
  }
  window.marketTables = {label: labelAll};
}());
