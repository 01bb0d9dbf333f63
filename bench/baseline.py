"""The benchmark's baseline: a bare Flask + Jinja endpoint rendering a 50-row table, served
by the same gunicorn settings as the platform (``gunicorn bench.baseline:app``). Every page
figure is quoted as a ratio to this one, measured in the same run."""
from __future__ import annotations

from flask import Flask, render_template_string

app = Flask(__name__)

ROWS = [{"reference": f"KS-WJW-2026-{i:03d}", "title": f"社区居家养老服务采购项目{i}",
         "department": "昆山市卫生健康委员会", "ceiling": f"{100000 + i * 1000:,}.00",
         "status": "公告中"} for i in range(1, 51)]

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>基线</title></head>
<body><table><thead><tr><th>编号</th><th>名称</th><th>部门</th><th>最高限价</th><th>状态</th>
</tr></thead><tbody>{% for r in rows %}<tr><td>{{ r.reference }}</td><td>{{ r.title }}</td>
<td>{{ r.department }}</td><td>{{ r.ceiling }}</td><td>{{ r.status }}</td></tr>{% endfor %}
</tbody></table></body></html>"""


@app.route("/")
def table():
    return render_template_string(PAGE, rows=ROWS)
