#!/usr/bin/env python3
"""Writes src/CommandCenter.Web/Resources/SharedResource.resx and SharedResource.zh-CN.resx from
tools/strings*.tsv (key <TAB> English <TAB> Chinese). Edit a TSV, run this, commit all."""
import csv, glob, os
from xml.sax.saxutils import escape

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, '..', 'src', 'CommandCenter.Web', 'Resources')
rows = []
for path in sorted(glob.glob(os.path.join(here, 'strings*.tsv'))):
    rows += [r for r in csv.reader(open(path, encoding='utf-8'), delimiter='\t') if r and not r[0].startswith('#')]
keys = [r[0] for r in rows]
dupes = sorted({k for k in keys if keys.count(k) > 1})
if dupes:
    raise SystemExit('duplicate keys: ' + ', '.join(dupes))
head = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
for idx, name in ((1, 'SharedResource.resx'), (2, 'SharedResource.zh-CN.resx')):
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        f.write(head)
        for r in sorted(rows, key=lambda r: r[0]):
            f.write(f'  <data name="{escape(r[0])}" xml:space="preserve"><value>{escape(r[idx])}</value></data>\n')
        f.write('</root>\n')
print(f'{len(rows)} strings written')
