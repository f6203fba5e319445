"""Page styling and the one page script (copying a citation), kept apart from the layout."""

from __future__ import annotations

# System CJK fonts only: the default theme fetches Google Fonts, which an offline hall lacks.
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"]
MONO_FONTS = ["Noto Sans Mono CJK SC", "ui-monospace", "monospace"]

CSS = """
.gradio-container { max-width: 1280px !important; width: 100% !important; margin: 0 auto !important; }
.gradio-container > .main, .gradio-container .wrap.svelte-zxu34v, .gradio-container main.contain { width: 100% !important; }
#chat .placeholder-content { justify-content: flex-start; gap: 6px; }
#chat .examples { gap: 6px !important; padding: 0 8px !important; }
#chat .examples .example { padding: 8px 10px !important; min-height: 0 !important; border: 1px solid #d6dbe4; }
#chat .examples .example-text { color: #1f2937; font-size: 0.88rem; }
/* Contrast >= 4.5:1 for the theme's own greys and the primary button (axe-checked). */
.gradio-container, :root {
  --block-label-text-color: #374151; --block-info-text-color: #4b5563;
  --input-placeholder-color: #6b7280; --body-text-color-subdued: #4b5563;
  --button-primary-background-fill: #b91c1c; --button-primary-background-fill-hover: #991b1b;
  --button-primary-text-color: #fff; --button-secondary-text-color: #1f2937;
  --color-accent: #b91c1c;
  --block-title-text-color: #991b1b; --block-title-background-fill: #fee2e2;
  --checkbox-label-background-fill-selected: #b91c1c; --checkbox-label-text-color-selected: #fff;
  --checkbox-background-color-selected: #b91c1c;
}
/* A focus ring everyone can see, on every control. */
.gradio-container :focus-visible, .gradio-container button:focus-visible,
.gradio-container textarea:focus, .gradio-container input:focus {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
#app-header { background: linear-gradient(90deg, #9f1d20, #b8322a); color: #fff; border-radius: 8px;
  padding: 6px 16px; margin-bottom: 2px; display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; }
#app-header h1 { color: #fff; margin: 0; font-size: 1.25rem; letter-spacing: 0.08em; }
#app-header p { color: #fff; margin: 0; font-size: 0.85rem; }

/* chat: the conversation fills the window, the input stays in view */
#ask-row { gap: 8px; }
#chat-actions { gap: 6px; align-items: center; flex-wrap: wrap; }
#chat-actions > * { flex: 0 0 auto !important; min-width: 0 !important; }
/* a disabled button is still read: Gradio's default fades it below 4.5:1 */
#export, #export:disabled { opacity: 1 !important; color: #374151 !important; }
#send-hint .hint { color: #4b5563; font-size: 0.8rem; }
.empty-state { text-align: left; max-width: 760px; margin: 0 auto; font-size: 0.92rem; color: #1f2937; }
.empty-state .covered { margin: 4px 0 8px; padding-left: 0; list-style: none; }
.empty-state .covered li { margin: 3px 0; }
.empty-state .doc-number { color: #4b5563; font-size: 0.82rem; margin-left: 4px; }
.empty-lead, .empty-hint { margin: 4px 0 !important; }
.progress { color: #1e3a8a; display: flex; align-items: center; gap: 8px; }
.progress-stopped { color: #7c2d12; }
.spinner { width: 14px; height: 14px; border: 2px solid #93c5fd; border-top-color: #1d4ed8; border-radius: 50%;
  animation: spin 0.8s linear infinite; display: inline-block; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
.cite-mark { border: none; background: none; color: #1e3a8a; font-weight: 700; padding: 0 1px; cursor: pointer;
  font-size: 0.85em; vertical-align: super; }

/* chat */
#chat .question { font-size: 1.02rem; }
.answer { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; width: 100%; }
.answer-main { flex: 1 1 300px; min-width: 0; }
.answer-cites { flex: 1.25 1 360px; min-width: 0; display: flex; flex-direction: column; gap: 8px; }
.answer-text { line-height: 1.75; font-size: 1rem; }
.answer-meta { margin-top: 8px; color: #374151; font-size: 0.8rem; }
.answer-refused .answer-main { border: 1px dashed #b45309; background: #fffbeb; border-radius: 8px;
  padding: 10px 14px; color: #78350f; }
.answer-draft .answer-main { border: 1px dashed #64748b; border-radius: 8px; padding: 8px 12px; background: #f8fafc; }
.draft-text { color: #374151; }
.llm-note { color: #7c2d12; background: #fff7ed; border-left: 3px solid #c2410c; padding: 2px 8px;
  margin-bottom: 6px; font-size: 0.85rem; }
.refusal-tag { display: inline-block; font-weight: 600; color: #92400e; background: #fde68a;
  border-radius: 4px; padding: 1px 8px; margin-bottom: 6px; font-size: 0.85rem; }

/* citation cards */
.cite-card { border: 1px solid #d6dbe4; border-left: 4px solid #1d4ed8; border-radius: 8px;
  background: #f8fafc; padding: 6px 12px; margin: 0 !important; }
.cite-card[open] { background: #fff; }
.cite-head { font-size: 0.92rem; line-height: 1.6; }
.cite-text mark, .cite-full-text mark { background: #fef08a; color: #111827; padding: 0 1px; }
.cite-full summary { cursor: pointer; color: #1e3a8a; font-size: 0.85rem; }
.cite-full-text { font-size: 0.88rem; line-height: 1.7; max-height: 320px; overflow-y: auto; padding: 4px 0; }
.cite-actions { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.open-unit { color: #1e3a8a !important; font-size: 0.82rem; }
.cite-card.flash { box-shadow: 0 0 0 3px #93c5fd; }
.cite-no { color: #1e3a8a; font-weight: 700; margin-right: 4px; }
.cite-title { font-weight: 600; }
.cite-article { font-weight: 700; color: #9f1d20; margin-left: 2px; }
.cite-meta { color: #374151; font-size: 0.8rem; margin: 4px 0; }
.cite-text { margin: 6px 0 !important; padding: 6px 10px !important; border-left: 3px solid #cbd5e1 !important;
  background: #f1f5f9; color: #111827; font-size: 0.9rem; line-height: 1.7; font-style: normal !important;
  overflow-wrap: anywhere; }
.cite-ref { display: none; }
.copy-cite { border: 1px solid #1e3a8a; color: #1e3a8a; background: #fff; border-radius: 6px;
  padding: 2px 12px; font-size: 0.82rem; cursor: pointer; margin: 4px 0 2px; }
.answer-meta .copy-cite { margin: 0 0 0 10px; padding: 0 10px; font-size: 0.78rem; }
.copy-cite:hover { background: #eff6ff; }
.copy-cite.copied { background: #16a34a; border-color: #16a34a; color: #fff; }

/* status badges */
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; margin-right: 6px; font-size: 0.75rem;
  font-weight: 700; line-height: 1.6; vertical-align: 1px; }
.badge-in-force { background: #dcfce7; color: #14532d; border: 1px solid #86efac; }
.badge-draft { background: #ffedd5; color: #7c2d12; border: 1px solid #fdba74; }
.badge-expired { background: #e5e7eb; color: #374151; border: 1px solid #9ca3af; text-decoration: line-through; }
.badge-expiring { background: #fef3c7; color: #78350f; border: 1px solid #f59e0b; }

/* article browser */
.article-view { border: 1px solid #d6dbe4; border-radius: 10px; padding: 14px 18px; background: #fff; }
.article-head { font-size: 1.05rem; }
.article-chapter { color: #6b7280; font-size: 0.85rem; margin-top: 6px; }
.article-label { margin: 6px 0 !important; color: #9f1d20; }
.article-text { line-height: 1.9; font-size: 1rem; white-space: normal; }
.article-text mark { background: #fde68a; padding: 0 1px; }

/* notices */
.notice { border-radius: 8px; padding: 10px 14px; line-height: 1.7; }
.notice-info { background: #eff6ff; border: 1px solid #bfdbfe; color: #1e3a8a; }
.notice-ok { background: #f0fdf4; border: 1px solid #86efac; color: #14532d; }
.notice-error { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; }
.detail-head { margin: 14px 0 6px !important; color: #374151; }

/* self-check results as cards */
.check-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px; }
.check-card { border: 1px solid #d6dbe4; border-left: 5px solid #6b7280; border-radius: 8px; padding: 8px 12px;
  background: #fff; min-width: 0; }
.check-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.check-status { font-weight: 700; border-radius: 4px; padding: 0 6px; font-size: 0.8rem; }
.check-label { font-weight: 600; }
.check-verdict { margin: 4px 0; }
.check-amount { color: #374151; font-size: 0.9rem; }
.check-detail summary { cursor: pointer; color: #1d4ed8; font-size: 0.85rem; margin-top: 4px; }
.check-met { border-left-color: #15803d; } .check-met .check-status { background: #dcfce7; color: #14532d; }
.check-not_met { border-left-color: #b91c1c; } .check-not_met .check-status { background: #fee2e2; color: #7f1d1d; }
.check-soft_not_met, .check-unverified, .check-incomplete { border-left-color: #d97706; }
.check-soft_not_met .check-status, .check-unverified .check-status, .check-incomplete .check-status {
  background: #fef3c7; color: #78350f; }

/* self-check batch (CSV) */
.batch-file { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; padding: 4px 0; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.file-button { border: 1px solid #1e3a8a; color: #1e3a8a; background: #fff; border-radius: 6px;
  padding: 6px 14px; font-weight: 600; cursor: pointer; }
.file-button:hover { background: #eff6ff; }
#check-csv-file:focus-visible + .file-button { outline: 3px solid #1d4ed8; outline-offset: 2px; }
#check-csv-name { color: #374151; overflow-wrap: anywhere; }
.batch-errors { margin: 6px 0 0; padding-left: 1.2em; color: #7f1d1d; line-height: 1.7; }
.batch-row { font-weight: 700; }
.batch-table { width: 100%; border-collapse: collapse; font-size: 0.88rem; margin-top: 8px; }
.batch-table caption { text-align: left; font-weight: 700; padding: 4px 0; color: #1f2937; }
.batch-table th, .batch-table td { border: 1px solid #d6dbe4; padding: 4px 8px; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
.batch-table th { background: #f1f5f9; color: #1f2937; }
.batch-more { color: #374151; font-size: 0.85rem; }

/* documents: a table on a desktop, cards on a phone */
#docs-cards { display: none; }
.doc-cards { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 8px; }
.doc-card { border: 1px solid #d6dbe4; border-radius: 8px; padding: 8px 12px; background: #fff; }
.doc-card dl { margin: 6px 0 0; font-size: 0.88rem; }
.doc-card dl > div { display: flex; gap: 6px; }
.doc-card dt { color: #374151; font-weight: 600; flex: 0 0 auto; }
.doc-card dt::after { content: "："; }
.doc-card dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }

/* phone: one column, nothing wider than the screen */
html, body { overflow-x: hidden; }
.gradio-container { overflow-x: hidden; }
.answer-text, .cite-text, .article-text, .question { overflow-wrap: anywhere; }
@media (max-width: 640px) {
  .gradio-container { padding: 4px 6px !important; }
  #app-header p { display: none; }
  .answer-cites, .answer-main { flex-basis: 100%; }
  #send-hint { display: none; }
  .check-cards { grid-template-columns: 1fr; }
  #docs-table { display: none !important; }
  #docs-cards { display: block; }
  /* the results table becomes one card per line, each cell labelled */
  .batch-table thead { display: none; }
  .batch-table, .batch-table tbody, .batch-table tr, .batch-table td { display: block; width: 100%; }
  .batch-table tr { border: 1px solid #d6dbe4; border-left: 5px solid #6b7280; border-radius: 8px;
    margin-bottom: 8px; padding: 4px 8px; }
  .batch-table td { border: none; padding: 2px 0; }
  .batch-table { border: none !important; }
  .batch-table caption { display: block; }
  .batch-table tr.check-met { border-left-color: #15803d; }
  .batch-table tr.check-not_met { border-left-color: #b91c1c; }
  .batch-table tr.check-soft_not_met, .batch-table tr.check-unverified, .batch-table tr.check-incomplete {
    border-left-color: #d97706; }
  .batch-table td::before { content: attr(data-label) "："; font-weight: 600; color: #374151; }
  /* all four tabs fit on a phone instead of folding into "…" */
  button[role="tab"] { padding: 4px 7px !important; font-size: 0.92rem !important; }
  /* the article first, then the outline to pick another one */
  #browse-row { flex-direction: column-reverse !important; }
}
"""

# The page script: the page's language (Gradio's own widgets follow the browser's: Chinese in a
# Chinese browser; its language is chosen before any page script runs), the [n] markers, and
# one delegated listener for every 复制引用 button, in the chat or the article browser.
HEAD = r"""
<script>
document.documentElement.lang = "zh-CN";
new MutationObserver(function () {
  if (document.documentElement.lang !== "zh-CN") { document.documentElement.lang = "zh-CN"; }
}).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
// Gradio's example list says role="list" without list items (an axe "critical"), and names its
// buttons in English: a group of buttons named by their questions.
function fixExamples() {
  document.querySelectorAll('#chat .examples[role="list"]').forEach(function (list) {
    list.setAttribute("role", "group");
    list.setAttribute("aria-label", "示例问题");
  });
  document.querySelectorAll("#chat .examples button.example").forEach(function (button) {
    var text = button.textContent.trim();
    if (button.getAttribute("aria-label") !== text) { button.setAttribute("aria-label", text); }
  });
}
new MutationObserver(fixExamples).observe(document, { subtree: true, childList: true });
// The self-check's CSV: the chosen file's name beside the (Chinese) choose button.
document.addEventListener("change", function (event) {
  if (!event.target || event.target.id !== "check-csv-file") { return; }
  var file = event.target.files && event.target.files[0];
  var name = document.getElementById("check-csv-name");
  if (name) { name.textContent = file ? file.name : "未选择文件"; }
}, true);
document.addEventListener("click", function (event) {
  var mark = event.target && event.target.closest ? event.target.closest("button.cite-mark") : null;
  if (!mark) { return; }
  var answer = mark.closest(".answer");
  var n = parseInt(mark.textContent.replace(/[^0-9]/g, ""), 10);
  var card = answer ? answer.querySelectorAll(".cite-card")[n - 1] : null;
  if (!card) { return; }
  card.scrollIntoView({ behavior: "smooth", block: "nearest" });
  card.classList.add("flash");
  setTimeout(function () { card.classList.remove("flash"); }, 1200);
}, true);
document.addEventListener("click", function (event) {
  var button = event.target && event.target.closest ? event.target.closest("button.copy-cite") : null;
  if (!button) { return; }
  event.preventDefault();
  event.stopPropagation();
  var box = button.previousElementSibling;
  if (!box || !box.classList.contains("cite-ref")) {
    var holder = button.closest(".cite-card, .article-view");
    box = holder ? holder.querySelector(".cite-ref") : null;
  }
  // The reference is hidden, so innerText would drop its line breaks: walk the nodes.
  var text = "";
  if (box) {
    box.childNodes.forEach(function (node) {
      text += node.nodeName === "BR" ? "\n" : node.textContent;
    });
  }
  text = text.trim();
  var label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  function done() {
    button.textContent = "已复制";
    button.classList.add("copied");
    setTimeout(function () { button.textContent = label; button.classList.remove("copied"); }, 1500);
  }
  function fallback() {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } finally { area.remove(); }
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
}, true);
</script>
"""
