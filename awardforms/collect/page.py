"""index.html: one self-contained page (inline CSS and SVG, no script, no network) the office
reads instead of the spreadsheets. Jinja2 with autoescape: every clerk's text is escaped."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment

from awardforms.output import atomic_write_bytes

PAGE = "index.html"
BAR_WIDTH = 420            # px of the longest bar
ROW_HEIGHT = 26

_env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_env.filters["href"] = lambda path: quote(str(path).replace("\\", "/"), safe="/")

TEMPLATE = r"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#222;line-height:1.5}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #2f5597;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border:1px solid #bbb;padding:4px 8px;vertical-align:top}
th{background:#dde8f6;text-align:left}.num{text-align:right}.bad{color:#c00000;font-weight:bold}.ok{color:#2e7d32}
.muted{color:#777}.tot{display:flex;gap:16px;flex-wrap:wrap}.tot div{border:1px solid #ccd;border-radius:6px;padding:8px 16px}
.tot b{display:block;font-size:22px}.note{background:#fff6d5;border-left:4px solid #e0b000;padding:6px 10px}
details summary{cursor:pointer}svg text{font-size:13px}
</style></head><body>
<h1>{{ title }}</h1>
<p class="muted">{{ campaign }}（{{ campaign_id }}）· 汇总时间 {{ made }}</p>

<h2>总体情况</h2>
<div class="tot">
<div><b>{{ counts.files }}</b>收到文件</div><div><b>{{ counts.counted }}</b>计入汇总的推荐单位</div>
<div><b>{{ counts.replaced }}</b>已被替换</div><div><b class="{{ 'bad' if counts.unusable }}">{{ counts.unusable }}</b>无法使用</div>
{% for s in sheet_totals %}<div><b>{{ s.valid }} / {{ s.submitted }}</b>{{ s.sheet }}（合格/推荐）</div>{% endfor %}
<div><b class="{{ 'bad' if counts.errors }}">{{ counts.errors }}</b>错误</div><div><b>{{ counts.warnings }}</b>提醒</div>
</div>
<p>表格：{% for f in outputs %}<a href="{{ f|href }}">{{ f }}</a>{{ "　" if not loop.last }}{% endfor %}</p>

<h2>名额使用情况</h2>
<div class="tot">{% for chart in charts %}
<div><h3>{{ chart.sheet }}：各地区分配名额与推荐数</h3>
<svg xmlns="http://www.w3.org/2000/svg" width="{{ chart.width }}" height="{{ chart.height }}" role="img" aria-label="{{ chart.sheet }}名额与推荐数">
<rect x="{{ chart.left }}" y="2" width="12" height="10" fill="#b4c7e7"/><text x="{{ chart.left + 16 }}" y="12">分配名额</text>
<rect x="{{ chart.left + 90 }}" y="2" width="12" height="10" fill="#2f5597"/><text x="{{ chart.left + 106 }}" y="12">推荐数</text>
<rect x="{{ chart.left + 170 }}" y="2" width="12" height="10" fill="#c00000"/><text x="{{ chart.left + 186 }}" y="12">超出或不足</text>
{% for b in chart.bars %}
<text x="{{ chart.left - 6 }}" y="{{ b.y + 15 }}" text-anchor="end">{{ b.region }}</text>
<rect x="{{ chart.left }}" y="{{ b.y + 2 }}" width="{{ b.quota_w }}" height="9" fill="#b4c7e7"><title>{{ b.region }} 分配名额 {{ b.quota }}</title></rect>
<rect x="{{ chart.left }}" y="{{ b.y + 12 }}" width="{{ b.sub_w }}" height="9" fill="{{ '#c00000' if b.bad else '#2f5597' }}"><title>{{ b.region }} 推荐 {{ b.submitted }}</title></rect>
<text x="{{ chart.left + b.text_x }}" y="{{ b.y + 20 }}">{{ b.submitted }} / {{ b.quota if b.quota is not none else '—' }}</text>
{% endfor %}
</svg></div>
{% endfor %}</div>
<table><tr><th>所属地区</th><th>类别</th><th>分配名额</th><th>允许推荐数</th><th>推荐数</th><th>合格数</th><th>差额</th><th>情况</th></tr>
{% for q in quota %}<tr><td>{{ q.region }}</td><td>{{ q.sheet }}</td><td class="num">{{ q.quota if q.quota is not none else '不在名额表中' }}</td>
<td class="num">{{ q.allowed }}</td><td class="num">{{ q.submitted }}</td><td class="num">{{ q.valid }}</td>
<td class="num">{{ q.difference if q.difference is not none else '' }}</td><td class="{{ 'bad' if q.mark }}">{{ q.mark or '' }}</td></tr>
{% endfor %}</table>

<h2>同一推荐对象被重复推荐（{{ duplicates|length }}）</h2>
{% if duplicates %}<table><tr><th>文件</th><th>推荐单位</th><th>位置</th><th>说明</th></tr>
{% for d in duplicates %}<tr><td>{{ d.file }}</td><td>{{ d.unit }}</td><td>{{ d.where }}</td><td class="bad">{{ d.message }}</td></tr>{% endfor %}</table>
{% else %}<p class="ok">没有发现跨推荐单位的重复推荐。</p>{% endif %}

{% if across %}<h2>全部提交合计的检查</h2><ul>
{% for a in across %}<li class="{{ 'bad' if a.severity == 'error' }}">[{{ '错误' if a.severity == 'error' else '提醒' }}] {{ a.message }}</li>{% endfor %}</ul>{% endif %}

<h2>各推荐单位的提交</h2>
{% for note in notes %}<p class="note">{{ note }}</p>{% endfor %}
<table><tr><th>状态</th><th>推荐单位</th><th>所属地区</th><th>文件</th><th>时间</th>{% for s in sheets %}<th>{{ s }}</th>{% endfor %}<th>错误</th><th>提醒</th><th>材料</th></tr>
{% for r in submissions %}<tr>
<td class="{{ 'bad' if r.status in ('有错误', '无法使用') else ('ok' if r.status == '合格' else 'muted') }}">{{ r.status }}</td>
<td>{{ r.unit }}</td><td>{{ r.region }}</td><td>{{ r.file }}{% if r.why %}<br><span class="bad">{{ r.why }}</span>{% endif %}{% if r.note %}<br><span class="muted">{{ r.note }}</span>{% endif %}</td>
<td>{{ r.time }}</td>{% for n in r.counts %}<td class="num">{{ n }}</td>{% endfor %}
<td class="num {{ 'bad' if r.errors }}">{{ r.errors }}</td><td class="num">{{ r.warnings }}</td>
<td>{% if r.folder %}<a href="{{ r.folder|href }}/">文件夹</a>
<details><summary>{{ r.links|length }} 个文件</summary>{% for f in r.links %}<a href="{{ (r.folder ~ '/' ~ f)|href }}">{{ f }}</a><br>{% endfor %}</details>{% endif %}</td>
</tr>{% endfor %}</table>

<h2>问题（{{ issues|length }}）</h2>
{% for group in issue_groups %}<details{{ ' open' if group.errors }}><summary>{{ group.file }}：{{ group.errors }} 个错误、{{ group.warnings }} 个提醒</summary>
<table><tr><th>位置</th><th>字段</th><th>类别</th><th>说明</th></tr>
{% for i in group.issues %}<tr><td>{{ i.where }}</td><td>{{ i.field or '' }}</td><td class="{{ 'bad' if i.severity == 'error' }}">{{ '错误' if i.severity == 'error' else '提醒' }}</td><td>{{ i.message }}{% if i.fix %} 处理办法：{{ i.fix }}{% endif %}</td></tr>{% endfor %}
</table></details>{% endfor %}
</body></html>
"""


def chart(sheet: str, rows: list) -> dict:
    """Bars per region: quota above, submitted below; lengths scaled to the largest value."""
    rows = [q for q in rows if q.sheet == sheet]
    top = max([1] + [q.submitted for q in rows] + [q.quota or 0 for q in rows])
    left = 10 + 14 * max([4] + [len(q.region) for q in rows])
    bars = []
    for i, q in enumerate(rows):
        quota_w = round(BAR_WIDTH * (q.quota or 0) / top)
        sub_w = round(BAR_WIDTH * q.submitted / top)
        bars.append({"region": q.region, "quota": q.quota, "submitted": q.submitted, "y": 20 + i * ROW_HEIGHT,
                     "quota_w": quota_w, "sub_w": sub_w, "text_x": max(quota_w, sub_w) + 6, "bad": bool(q.mark)})
    return {"sheet": sheet, "bars": bars, "left": left, "width": left + BAR_WIDTH + 80,
            "height": 26 + ROW_HEIGHT * len(rows)}


def write_page(path: Path, context: dict) -> None:
    html = _env.from_string(TEMPLATE).render(**context)
    atomic_write_bytes(path, html.encode("utf-8"))
