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

"""``CommandGenerator.generate`` reports each row as soon as its reply is complete."""

import pytest
from ros2_prompt_tuning.generation import CommandGenerator

REQUESTS = ['move forward 2 meters', 'clear', 'go back; rm -rf /', 'spawn leo at 3, 4',
            'make me a coffee']


@pytest.mark.parametrize('grammar', [True, False], ids=['grammar', 'free'])
def test_on_reply_calls_back_once_per_row_with_the_replies_it_returns(tiny_qwen2, grammar):
    generator = CommandGenerator.load(tiny_qwen2, None, 'cpu', max_new_tokens=24,
                                      grammar=grammar, precision='fp32')
    expected = generator.generate(REQUESTS)
    start = generator.token_counts['computed']
    reported = []
    replies = generator.generate(
        REQUESTS, on_reply=lambda index, reply: reported.append(
            (index, reply, generator.token_counts['computed'])))
    assert replies == expected
    assert sorted(index for index, _, _ in reported) == list(range(len(REQUESTS)))
    assert all(reply == replies[index] for index, reply, _ in reported)
    # The shell request is answered before the model computes a token; the other rows as
    # they finish, the last one with the batch's last token.
    assert reported[0] == (2, replies[2], start) and replies[2].text == 'UNSUPPORTED'
    counts = [computed for _, _, computed in reported]
    assert counts == sorted(counts) and counts[-1] == generator.token_counts['computed']
    if grammar:  # this seeded model ends some commands early and one late
        assert counts[1] < counts[-1]
