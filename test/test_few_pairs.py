# Copyright 2026 The ros2_prompt_tuning Authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""scripts/few_pairs.py end to end on a tiny model: one run per size and number of copies."""

import importlib.util
import json

from lint_paths import ROOT


def load_script():
    spec = importlib.util.spec_from_file_location('few_pairs', ROOT / 'scripts' / 'few_pairs.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_size_and_number_of_copies_is_trained_and_scored(tiny_qwen2, pair_files,
                                                              tmp_path, capsys):
    config = tmp_path / 'run.yaml'
    config.write_text(f'model: {tiny_qwen2}\nnum_virtual_tokens: 2\nbatch_size: 2\n'
                      f'validation_data: {pair_files[1]}\ndevice: cpu\n', encoding='utf-8')
    out = tmp_path / 'few.json'
    assert load_script().main([
        '--config', str(config), '--pairs', str(pair_files[0]), '--held-out',
        str(pair_files[1]), '--sizes', '3', '5', '--copies', '0', '2', '--max-steps', '2',
        '--out', str(out)]) == 0
    results = json.loads(out.read_text())
    assert [(entry['pairs'], entry['resample_copies']) for entry in results] == \
        [(3, 0), (3, 2), (5, 0), (5, 2)]
    for entry in results:
        assert entry['pairs'] <= entry['training_pairs'] <= entry['pairs'] * (
            1 + entry['resample_copies'])
        assert 0.0 <= entry['semantic_accuracy'] <= 1.0
    assert '| 5 | ' in capsys.readouterr().out
