"""Self-check for blind4 (independent of the project's code).
- every doc exists, every gold label exists in its document (segment.py)
- every non-computed expect occurs verbatim in at least one gold unit (line breaks removed)
- format: ids unique, types, question/turns, refusals empty, 1-2 expects
- computed_expects.json covers exactly the expects not checked verbatim
Run: python3 /work/blind4/verify.py
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from segment import PATHS, unit_texts  # noqa: E402

HERE = Path(__file__).parent
TYPES = {'lookup', 'fact', 'calc', 'cross', 'refuse', 'followup'}


def main():
    rows = [json.loads(l) for l in (HERE / 'blind4.jsonl').read_text(encoding='utf-8').splitlines() if l.strip()]
    comp = json.loads((HERE / 'computed_expects.json').read_text(encoding='utf-8'))
    units = {d: unit_texts(d) for d in PATHS}
    problems = []
    ids = set()
    for r in rows:
        cid = r['id']
        if cid in ids:
            problems.append(f'{cid}: duplicate id')
        ids.add(cid)
        if r['type'] not in TYPES:
            problems.append(f'{cid}: bad type')
        if r['type'] == 'followup':
            if 'turns' not in r or not 2 <= len(r['turns']) <= 3 or 'question' in r:
                problems.append(f'{cid}: followup needs 2-3 turns')
        elif 'question' not in r or 'turns' in r:
            problems.append(f'{cid}: needs question')
        if r['type'] == 'refuse':
            if r['gold'] or r['expect']:
                problems.append(f'{cid}: refusal must have empty gold/expect')
            continue
        if not r['gold'] or not 1 <= len(r['expect']) <= 2:
            problems.append(f'{cid}: gold empty or expect count')
        texts = []
        for g in r['gold']:
            if g['doc'] not in units:
                problems.append(f'{cid}: unknown doc {g["doc"]}'); continue
            if g['article'] not in units[g['doc']]:
                problems.append(f'{cid}: label {g["doc"]} {g["article"]} not found'); continue
            texts.append(units[g['doc']][g['article']])
        computed = set(comp.get(cid, {}).get('figures', []))
        for e in r['expect']:
            if e in computed:
                continue
            if not any(e in t for t in texts):
                problems.append(f'{cid}: expect {e!r} not verbatim in gold unit(s)')
        for f in computed:
            if f not in r['expect']:
                problems.append(f'{cid}: computed figure {f!r} not among expects')
    for cid in comp:
        if cid not in ids:
            problems.append(f'computed_expects: unknown id {cid}')
    for p in problems:
        print(p)
    print(f'{len(rows)} items checked, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
