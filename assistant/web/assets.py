"""Page styling and the one page script (copying a citation), kept apart from the layout."""

from __future__ import annotations

# System CJK fonts only: the default theme fetches Google Fonts, which an offline hall lacks.
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"]
MONO_FONTS = ["Noto Sans Mono CJK SC", "ui-monospace", "monospace"]

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#app-header { background: linear-gradient(90deg, #9f1d20, #b8322a); color: #fff; border-radius: 10px;
  padding: 14px 22px; margin-bottom: 6px; }
#app-header h1 { color: #fff; margin: 0; font-size: 1.6rem; letter-spacing: 0.08em; }
#app-header p { color: #fde8e4; margin: 4px 0 0; font-size: 0.95rem; }

/* chat */
#chat .question { font-size: 1.02rem; }
.answer { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; width: 100%; }
.answer-main { flex: 1 1 300px; min-width: 0; }
.answer-cites { flex: 1.25 1 360px; min-width: 0; display: flex; flex-direction: column; gap: 8px; }
.answer-text { line-height: 1.75; font-size: 1rem; }
.answer-meta { margin-top: 8px; color: #6b7280; font-size: 0.8rem; }
.answer-refused .answer-main { border: 1px dashed #b45309; background: #fffbeb; border-radius: 8px;
  padding: 10px 14px; color: #78350f; }
.refusal-tag { display: inline-block; font-weight: 600; color: #92400e; background: #fde68a;
  border-radius: 4px; padding: 1px 8px; margin-bottom: 6px; font-size: 0.85rem; }

/* citation cards */
.cite-card { border: 1px solid #d6dbe4; border-left: 4px solid #1d4ed8; border-radius: 8px;
  background: #f8fafc; padding: 6px 12px; margin: 0 !important; }
.cite-card[open] { background: #fff; }
.cite-card summary { cursor: pointer; font-size: 0.92rem; line-height: 1.6; }
.cite-no { color: #1d4ed8; font-weight: 700; margin-right: 4px; }
.cite-title { font-weight: 600; }
.cite-article { font-weight: 700; color: #9f1d20; margin-left: 2px; }
.cite-meta { color: #4b5563; font-size: 0.8rem; margin: 4px 0; }
.cite-text { margin: 6px 0 !important; padding: 6px 10px !important; border-left: 3px solid #cbd5e1 !important;
  background: #f1f5f9; color: #111827; font-size: 0.9rem; line-height: 1.7; font-style: normal !important;
  max-height: 260px; overflow-y: auto; }
.cite-ref { display: none; }
.copy-cite { border: 1px solid #1d4ed8; color: #1d4ed8; background: #fff; border-radius: 6px;
  padding: 2px 12px; font-size: 0.82rem; cursor: pointer; margin: 4px 0 2px; }
.answer-meta .copy-cite { margin: 0 0 0 10px; padding: 0 10px; font-size: 0.78rem; }
.copy-cite:hover { background: #eff6ff; }
.copy-cite.copied { background: #16a34a; border-color: #16a34a; color: #fff; }

/* status badges */
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; margin-right: 6px; font-size: 0.75rem;
  font-weight: 700; line-height: 1.6; vertical-align: 1px; }
.badge-in-force { background: #dcfce7; color: #166534; border: 1px solid #86efac; }
.badge-draft { background: #ffedd5; color: #9a3412; border: 1px solid #fdba74; }
.badge-expired { background: #e5e7eb; color: #374151; border: 1px solid #9ca3af; text-decoration: line-through; }

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
.examples-row button { font-size: 0.85rem !important; }
"""

# One delegated listener for every 复制引用 button, in the chat or the article browser.
HEAD = r"""
<script>
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
