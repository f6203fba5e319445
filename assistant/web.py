"""The Gradio web app. Thin: it calls the package and renders; no policy logic lives here."""

from __future__ import annotations

import html
from typing import Any

from assistant.settings import get_settings

EXAMPLES = [
    "广西自治区级产业园申报条件第五条是什么？",
    "聊城市级产业园核心区建筑面积最低要求是多少？",
    "柳州措施二（二）5 经济贡献奖励是怎么规定的？",
]


def render_hits(hits: list[Any], documents: dict[str, Any]) -> str:
    if not hits:
        return "没有找到相关条款。"
    cards = []
    for hit in hits:
        meta = documents[hit.chunk.doc_id]
        cards.append(
            f"<details open><summary><b>《{html.escape(meta.title)}》{html.escape(hit.chunk.article)}</b>"
            f" <small>{html.escape(meta.doc_number or '')} · {hit.via}</small></summary>"
            f"<p>{html.escape(hit.chunk.text).replace(chr(10), '<br>')}</p></details>"
        )
    return "\n".join(cards)


def build_app() -> Any:
    import gradio as gr

    from assistant.service import get_retriever

    retriever = get_retriever()  # loaded once at start-up, not per request

    def respond(message: str, history: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str, str]:
        question = (message or "").strip()
        if not question:
            return history, "", "请输入问题。"
        hits = retriever.retrieve(question, k=3)
        if hits:
            top = hits[0]
            title = retriever.index.documents[top.chunk.doc_id].title
            reply = f"依据《{title}》{top.chunk.article}：\n\n{top.chunk.text}"
        else:
            reply = "未找到相关规定。"
        history = [*history, {"role": "user", "content": question}, {"role": "assistant", "content": reply}]
        return history, "", render_hits(hits, retriever.index.documents)

    with gr.Blocks(title="园区政策助手") as app:
        gr.Markdown("# 园区政策助手\n人力资源服务产业园政策问答：每个回答都附条款原文。")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="对话", height=480)
                box = gr.Textbox(label="问题", placeholder="例如：聊城市级产业园申报条件有哪些？")
                gr.Examples(EXAMPLES, inputs=box)
            with gr.Column(scale=2):
                cited = gr.HTML(label="引用条款")
        box.submit(respond, [box, chat], [chat, box, cited])
    return app


def launch() -> None:
    settings = get_settings()
    app = build_app()
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        max_file_size="20mb",
        show_error=False,
    )
