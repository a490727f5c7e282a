"""Regenerates the *.json golden files from botocore.

For each *.ini here, runs botocore.configloader.raw_config_parse (what the
AWS CLI uses for the credentials file, and load_config for the config
file) and writes {"sections": [[name, {key: value-or-nested}]...]} or
{"error": true}. Run: python3 gen.py
"""
import glob, json, os
import botocore.configloader as cl
import botocore.exceptions as ex

for path in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), '*.ini'))):
    try:
        parsed = cl.raw_config_parse(path)
        out = {"sections": [[name, parsed[name]] for name in parsed]}
    except ex.ConfigParseError:
        out = {"error": True}
    with open(path[:-4] + '.json', 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write('\n')
