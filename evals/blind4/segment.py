"""Independent segmenter for the 13 policy documents (blind4). Not the project's code."""
import re
from pathlib import Path

MAIN = Path('/work/main')
NEW = Path('/work/blind4/docs')
PATHS = {
    'guangxi-2021-regional-park': MAIN / 'corpus',
    'liaocheng-city-park': MAIN / 'corpus',
    'liuzhou-2024-park-measures': MAIN / 'corpus',
    'chengjiang-bay-talent-notice': MAIN / 'tests/fixtures/policies',
    'heyuan-hr-service-subsidy': MAIN / 'tests/fixtures/policies',
    'lanjiang-2023-hr-park-rules': MAIN / 'tests/fixtures/policies',
    'qinglan-county-park-implementation': MAIN / 'tests/fixtures/policies',
    'yunxiu-province-hr-industry-plan': MAIN / 'tests/fixtures/policies',
    'lucen-hitech-2023-employment-measures': MAIN / 'evals/blind/docs',
    'zhiting-2024-park-fund-measures': MAIN / 'evals/blind/docs',
    'songyu-2025-hr-industry-action-plan': NEW,
    'qiaoshan-2025-hr-park-promotion-measures': NEW,
    'muxi-2024-hr-service-employment-notice': NEW,
}
CN = '一二三四五六七八九十百'
LEVELS = {
    'part': (re.compile(r'^(第[' + CN + r']+部分)'), lambda m: m.group(1)),
    'cn': (re.compile(r'^([' + CN + r']+)、'), lambda m: m.group(1)),
    'pcn': (re.compile(r'^（([' + CN + r']+)）'), lambda m: '（' + m.group(1) + '）'),
    'num': (re.compile(r'^(\d+)[\.．](?!\d)'), lambda m: m.group(1)),
    'pnum': (re.compile(r'^[（(](\d+)[）)]'), lambda m: '（' + m.group(1) + '）'),
    'circ': (re.compile(r'^([①②③④⑤⑥⑦⑧⑨])'), lambda m: m.group(1)),
}
TIAO = re.compile(r'^(第[' + CN + r']+条)')
CHAP = re.compile(r'^第[' + CN + r']+[章节]')

# outline docs: levels, preamble start, closing (附则) start, annex start, stop
OUTLINE = {
    'liuzhou-2024-park-measures': dict(levels=['cn', 'pcn', 'num'], pre=r'^(\[bookmark: _GoBack\])?为进一步', close=r'^本办法自2024年1月1日'),
    'heyuan-hr-service-subsidy': dict(levels=['pcn', 'pnum'], pre=r'^为贯彻落实', close=r'^本通知自印发之日起施行'),
    'qinglan-county-park-implementation': dict(levels=['cn', 'pcn', 'num', 'pnum'], pre=r'^为加快发展县域', annex=r'^(附件)：'),
    'yunxiu-province-hr-industry-plan': dict(levels=['part', 'num', 'circ'], pre=r'^为深入实施'),
    'lucen-hitech-2023-employment-measures': dict(levels=['num', 'pnum', 'circ'], pre=r'^为帮助区内企业', close=r'^本措施自2023年1月1日', annex=r'^(附表\d)'),
    'songyu-2025-hr-industry-action-plan': dict(levels=['part', 'cn', 'pcn', 'num'], pre=r'^为加快建设松屿', annex=r'^(附件)　'),
    'muxi-2024-hr-service-employment-notice': dict(levels=['cn', 'num', 'pnum'], pre=r'^为发挥人力资源服务机构', annex=r'^(附件\d)：', stop=r'^沐溪市人力资源和社会保障局　　沐溪市财政局$'),
}
TIAO_DOCS = {'guangxi-2021-regional-park', 'liaocheng-city-park', 'lanjiang-2023-hr-park-rules',
             'zhiting-2024-park-fund-measures', 'qiaoshan-2025-hr-park-promotion-measures'}


def read(doc):
    return (PATHS[doc] / (doc + '.txt')).read_text(encoding='utf-8')


def segment(doc):
    """Return ordered list of (label, path_tuple, own_lines)."""
    lines = [l.strip() for l in read(doc).splitlines()]
    units = []
    if doc in TIAO_DOCS:
        cur = None
        for l in lines:
            if not l:
                continue
            m = TIAO.match(l)
            a = re.match(r'^(附件\d)', l)
            if m:
                cur = (m.group(1), (m.group(1),), [l]); units.append(cur)
            elif a:
                cur = (a.group(1), (a.group(1),), [l]); units.append(cur)
            elif CHAP.match(l):
                continue
            elif cur:
                cur[2].append(l)
        return units
    if doc == 'chengjiang-bay-talent-notice':
        on = False; n = 0
        for l in lines:
            if not l:
                continue
            if l.startswith('各区人力资源和社会保障局'):
                on = True; continue
            if on and l == '澄江湾市人力资源和社会保障局':
                break
            if on:
                n += 1; units.append((f'第{n}段', (f'第{n}段',), [l]))
        return units
    cfg = OUTLINE[doc]
    lv = cfg['levels']
    started = False; mode = None; cur = None; path = []
    for l in lines:
        if not l:
            continue
        if not started:
            if re.match(cfg['pre'], l):
                started = True; cur = ('序言', ('序言',), [l]); units.append(cur); mode = 'pre'
            continue
        if cfg.get('stop') and re.match(cfg['stop'], l):
            break
        if cfg.get('annex'):
            a = re.match(cfg['annex'], l)
            if a:
                cur = (a.group(1), (a.group(1),), [l]); units.append(cur); mode = 'annex'; continue
        if mode == 'annex':
            cur[2].append(l); continue
        if mode == 'close':
            break  # 落款 after the closing paragraph
        if cfg.get('close') and re.match(cfg['close'], l):
            cur = ('附则', ('附则',), [l]); units.append(cur); mode = 'close'; continue
        hit = None
        for k, name in enumerate(lv):
            m = LEVELS[name][0].match(l)
            if m:
                hit = (k, LEVELS[name][1](m)); break
        if hit:
            k, tok = hit
            path = path[:k] + [tok]
            if len(path) != k + 1:
                raise ValueError(f'{doc}: level skip at {l[:20]}')
            lab = ''.join(path)
            cur = (lab, tuple(path), [l]); units.append(cur); mode = 'body'
        elif mode == 'pre':
            break_ = False
            cur[2].append(l)
        else:
            cur[2].append(l)
    return units


def unit_texts(doc):
    """label -> subtree text (own + descendants), line breaks removed."""
    us = segment(doc)
    out = {}
    for lab, path, _ in us:
        out[lab] = ''.join(''.join(u[2]) for u in us if u[1][:len(path)] == path)
    return out


if __name__ == '__main__':
    import sys
    for d in (sys.argv[1:] or PATHS):
        print(d, ' / '.join(unit_texts(d)))
