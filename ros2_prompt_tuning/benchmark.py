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

"""
Command line: ``ros2 run ros2_prompt_tuning benchmark`` / ``python -m ...benchmark``.

Measures, in one run on the same model, prompt weights and requests, the tutorials' loop
(one Hugging Face ``generate`` per request, batch 1, free greedy decoding) against the
serving path (grammar, jump-forward, request rewriting, batches): single-request latency,
the commands/s of a burst, tokens the model computed against tokens the grammar forced, and
peak memory, with the ratios of the two. With ``--race-minutes``, also the training race
(:mod:`ros2_prompt_tuning.training_race`): our training time to the accuracy the tutorials'
training loop reaches in that many minutes.
"""

import argparse
from collections import Counter
from contextlib import contextmanager
import json
import os
import platform
import random
import resource
import sys
import threading
import time
from typing import NamedTuple

from ros2_prompt_tuning.data import encode_prompt, PROMPT_TEMPLATE
from ros2_prompt_tuning.evaluation import percentile
from ros2_prompt_tuning.generation import DEFAULT_MAX_NEW_TOKENS, first_line
from ros2_prompt_tuning.models import PRECISIONS, select_precision
from ros2_prompt_tuning.resources import default_adapter_dir, EMBEDDED_MODEL, share_dir

MEGABYTE = 1 << 20
PATHS = ('tutorial', 'ours')
PATH_NAMES = {'tutorial': "tutorials' loop", 'ours': 'ours'}
RACE_KEY = 'training_time_to_tutorial_accuracy'
NOT_MEASURED = {
    RACE_KEY: {'figure': "training: wall time to the tutorials' loop's 60-minute accuracy",
               'status': 'not measured: run with --race-minutes 60'},
}
# Ours / the tutorials' training time to the tutorials' accuracy after 60 minutes.
RACE_TARGET = 1 / 30
# (key, label, unit): the rows of the table, in order; ``ratio`` is always ours / tutorials'.
ROWS = (
    ('latency_p50', 'single-request latency p50', 's'),
    ('latency_p95', 'single-request latency p95', 's'),
    ('burst_commands_per_s', 'burst: commands/s', '1/s'),
    ('burst_seconds', 'burst: wall time', 's'),
    ('output_tokens_per_command', 'output tokens per command', ''),
    ('ms_per_output_token', 'time per output token', 'ms'),
    ('computed_share', 'tokens computed by the model', 'share'),
    ('forced_share', 'tokens forced by the grammar', 'share'),
    ('peak_rss_mb', 'peak memory (RSS while answering)', 'MB'),
    ('rss_above_loaded_mb', 'peak memory above the loaded model', 'MB'),
    ('correct_share', 'correct commands (these requests)', 'share'),
)
# The issue's targets: (row key, comparison, bound, what the bound applies to).
TARGETS = (
    ('latency_p50', '<=', 1 / 8, 'ratio'),
    ('burst_commands_per_s', '>=', 30.0, 'ratio'),
    ('computed_share', '<=', 0.5, 'ours'),
)


def pick_examples(examples, count, seed):
    """Return ``count`` examples spread over the file (drawn with ``seed``; repeated if few)."""
    chooser = random.Random(seed)
    picked = []
    while len(picked) < count:
        picked += chooser.sample(examples, min(len(examples), count - len(picked)))
    return picked


def ratio(ours, tutorial):
    """Return ``ours / tutorial``, or ``None`` when either is missing or ``tutorial`` is 0."""
    if ours is None or not tutorial:
        return None
    return ours / tutorial


class TutorialReply(NamedTuple):
    """One answer of the tutorials' loop."""

    text: str
    """The first line of the decoded reply, stripped."""
    output_tokens: int
    """Tokens generated before EOS."""
    complete: bool
    """Whether the first line ended (newline or EOS) within the token budget."""


class TutorialLoop:
    """
    The tutorials' inference loop: one ``generate`` call per request, batch 1, free decoding.

    The request goes into the prompt template the weights were trained with, as written (no
    rewriting); decoding is greedy and ends at the tokenizer's EOS or after
    ``max_new_tokens``, with no grammar and no stop at a newline. Soft-prompt embeddings are
    put in front of the request's embeddings and handed to ``generate`` as ``inputs_embeds``,
    as the tutorials do. Prefix keys and values start ``generate``'s cache, with the full
    ``input_ids`` behind placeholders for the cached positions: PEFT's own ``generate``
    would do the same, but PEFT 0.21 hands the prefix to transformers 5 as
    ``past_key_values``, which ``generate``'s own ``cache`` overrides, so the prefix would be
    silently ignored.

    :param network: the frozen base causal LM (shared with the serving path).
    :param tokenizer: its tokenizer.
    :param peft_model: the PEFT model holding the prompt weights, or ``None``.
    :param template: text around each request.
    :param max_new_tokens: token budget of one reply.
    """

    def __init__(self, network, tokenizer, peft_model=None, template=PROMPT_TEMPLATE,
                 max_new_tokens=DEFAULT_MAX_NEW_TOKENS):
        """Keep the model, its prompt weights and the decoding budget."""
        self.network = network
        self.tokenizer = tokenizer
        self.peft_model = peft_model
        self.template = template
        self.max_new_tokens = max_new_tokens
        self.prefix = (peft_model is not None
                       and peft_model.active_peft_config.peft_type == 'PREFIX_TUNING')

    @classmethod
    def beside(cls, generator, model, adapter=None):
        """
        Return the loop on the serving generator's own base model and the same weights.

        :param generator: a loaded :class:`~ros2_prompt_tuning.generation.CommandGenerator`.
        :param model: the ``model`` option it was loaded from.
        :param adapter: the prompt-weight folder it was loaded with, or ``None``.
        """
        from ros2_prompt_tuning.adapter import load_adapter
        from ros2_prompt_tuning.models import BaseModel, ModelSource
        peft_model = None
        if adapter:
            base = BaseModel(generator.network, generator.tokenizer, ModelSource.resolve(model))
            peft_model, _ = load_adapter(base, adapter)
        return cls(generator.network, generator.tokenizer, peft_model, generator.template,
                   generator.max_new_tokens)

    def answer(self, instruction):
        """Return the :class:`TutorialReply` to one request."""
        import torch
        tokenizer = self.tokenizer
        device = self.network.get_input_embeddings().weight.device
        ids = torch.tensor([encode_prompt(tokenizer, instruction, self.template)],
                           device=device)
        options = {'max_new_tokens': self.max_new_tokens, 'do_sample': False,
                   'eos_token_id': tokenizer.eos_token_id,
                   'pad_token_id': tokenizer.pad_token_id}
        with torch.inference_mode():
            if self.peft_model is None:
                inputs = {'input_ids': ids}
            elif self.prefix:
                cache = self.peft_model.get_prompt(batch_size=1)
                placeholders = ids.new_full((1, cache.get_seq_length()), tokenizer.pad_token_id)
                inputs = {'input_ids': torch.cat([placeholders, ids], dim=1), 'cache': cache}
            else:
                embeddings = self.network.get_input_embeddings()(ids)
                prompt = self.peft_model.get_prompt(batch_size=1).to(embeddings.dtype)
                inputs = {'inputs_embeds': torch.cat([prompt, embeddings], dim=1)}
            if 'input_ids' in inputs:
                inputs['attention_mask'] = torch.ones_like(inputs['input_ids'])
            output = self.network.generate(**inputs, **options)[0]
        # Given input ids, generate returns them before the new tokens; given embeddings, not.
        tokens = output[inputs['input_ids'].shape[1] if 'input_ids' in inputs else 0:].tolist()
        ended = tokenizer.eos_token_id in tokens
        if ended:
            tokens = tokens[:tokens.index(tokenizer.eos_token_id)]
        text = tokenizer.decode(tokens, skip_special_tokens=True)
        return TutorialReply(first_line(text), len(tokens), ended or '\n' in text)


def resident_memory_reader():
    """
    Return ``(read, source)``: a function giving the process's resident memory in bytes now.

    psutil when it is installed, else ``/proc/self/statm``; ``(None, None)`` when neither.
    """
    try:
        import psutil
        process = psutil.Process()
        return (lambda: process.memory_info().rss), 'psutil'
    except ImportError:
        pass
    if os.path.exists('/proc/self/statm'):
        page = os.sysconf('SC_PAGE_SIZE')

        def read_statm():
            with open('/proc/self/statm', encoding='ascii') as stream:
                return int(stream.read().split()[1]) * page
        return read_statm, '/proc/self/statm'
    return None, None


def process_peak_rss():
    """Return the process's peak resident memory in bytes so far (``getrusage``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == 'darwin' else peak * 1024


class MemoryWatcher:
    """
    Sample the resident memory in a thread and keep the peak seen while each path runs.

    Samples can miss a peak shorter than ``interval``, and memory the allocator keeps after
    one path counts for the next: the process's own peak (``getrusage``) is reported beside
    them. On CUDA, the peak of allocated GPU memory is kept per path too.

    :param interval: seconds between samples.
    """

    def __init__(self, interval=0.01):
        """Prepare the sampler; call :meth:`start` to run it."""
        self.read, self.source = resident_memory_reader()
        self.interval = interval
        self.current = None
        self.peaks = {}
        self.gpu_peaks = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.sample_until_stopped, daemon=True)

    def sample(self):
        """Record one sample for the path running now."""
        path = self.current
        if path is not None and self.read is not None:
            self.peaks[path] = max(self.peaks.get(path, 0), self.read())

    def sample_until_stopped(self):
        """Sample every ``interval`` seconds until :meth:`stop`."""
        while not self.stopped.wait(self.interval):
            self.sample()

    def start(self):
        """Start sampling; return the resident memory now (bytes), or ``None``."""
        self.thread.start()
        return self.read() if self.read else None

    def stop(self):
        """Stop sampling."""
        self.stopped.set()
        self.thread.join()

    @contextmanager
    def running(self, path, device):
        """Attribute the samples taken inside the ``with`` block to ``path``."""
        import torch
        cuda = device.type == 'cuda'
        if cuda:
            torch.cuda.reset_peak_memory_stats(device)
        self.current = path
        self.sample()
        try:
            yield
        finally:
            self.sample()
            self.current = None
            if cuda:
                self.gpu_peaks[path] = max(self.gpu_peaks.get(path, 0),
                                           torch.cuda.max_memory_allocated(device))


class PathRecord:
    """What one path did: its latencies, burst time, answers and token counts."""

    def __init__(self):
        """Start empty."""
        self.latencies = []
        self.burst_seconds = 0.0
        self.answers = []
        self.tokens = Counter()

    def summary(self, burst, robot):
        """Return this path's figures as a dict."""
        from ros2_prompt_tuning.validator import check_line, same_command
        valid = correct = scored = 0
        for example, text, complete in self.answers:
            if example.command is not None:
                scored += 1
                ok = complete and check_line(text, robot)[0]
                valid += ok
                correct += ok and same_command(text, example.command, robot)
        commands = len(self.answers)
        output = self.tokens['output']
        seconds = sum(self.latencies) + self.burst_seconds
        return {
            'latency_p50': percentile(self.latencies, 0.5),
            'latency_p95': percentile(self.latencies, 0.95),
            'latency_mean': sum(self.latencies) / len(self.latencies),
            'latencies': self.latencies,
            'burst_seconds': self.burst_seconds,
            'burst_commands_per_s': burst / self.burst_seconds if self.burst_seconds else None,
            'commands': commands,
            'output_tokens': output,
            'computed_tokens': self.tokens['computed'],
            'forced_tokens': self.tokens['forced'],
            'output_tokens_per_command': output / commands,
            'ms_per_output_token': 1000 * seconds / output if output else None,
            'computed_share': ratio(self.tokens['computed'], output),
            'forced_share': ratio(self.tokens['forced'], output),
            'scored': scored,
            'correct_share': ratio(correct, scored),
            'valid_share': ratio(valid, scored),
        }


class SideBySide:
    """
    Both paths on one loaded model, answering requests in turn while memory is watched.

    :param ours: the serving path, a :class:`~ros2_prompt_tuning.generation.CommandGenerator`.
    :param tutorial: the :class:`TutorialLoop` on the same model and weights.
    :param progress: a tqdm bar advanced by every reply.
    """

    def __init__(self, ours, tutorial, progress):
        """Start a record per path."""
        self.ours = ours
        self.tutorial = tutorial
        self.progress = progress
        self.records = {path: PathRecord() for path in PATHS}
        self.watcher = MemoryWatcher()
        self.device = ours.network.get_input_embeddings().weight.device

    def answer(self, path, batch, timed=True):
        """
        Answer ``batch`` (examples) on ``path``: ours in one call, the tutorials' one by one.

        :param timed: record the answers and token counts (not for a warm-up).
        :returns: the seconds it took.
        """
        texts = [example.instruction for example in batch]
        counted_before = Counter(self.ours.token_counts)
        with self.watcher.running(path, self.device):
            begun = time.perf_counter()
            if path == 'ours':
                replies = self.ours.generate(texts)
            else:
                replies = [self.tutorial.answer(text) for text in texts]
            seconds = time.perf_counter() - begun
        if timed:
            record = self.records[path]
            record.answers += [(example, reply.text, reply.complete)
                               for example, reply in zip(batch, replies)]
            if path == 'ours':
                record.tokens.update(self.ours.token_counts - counted_before)
            else:
                output = sum(reply.output_tokens for reply in replies)
                record.tokens.update(output=output, computed=output)
        self.progress.update(len(batch))
        return seconds

    def run(self, single, bursting, max_batch):
        """
        Warm up, then time ``single`` requests one at a time and ``bursting`` as a burst.

        The paths take turns, and turns about who goes first, so both see the same load.
        """
        self.progress.set_postfix_str('warm-up')
        for path in PATHS:
            self.answer(path, single[:1], timed=False)
        self.progress.set_postfix_str('single requests')
        for index, example in enumerate(single):
            for path in PATHS if index % 2 == 0 else PATHS[::-1]:
                self.records[path].latencies.append(self.answer(path, [example]))
        self.progress.set_postfix_str('burst')
        for index, batch in enumerate(chunks(bursting, max_batch)):
            for path in PATHS if index % 2 == 0 else PATHS[::-1]:
                self.records[path].burst_seconds += self.answer(path, batch)


def chunks(items, size):
    """Return ``items`` cut into lists of at most ``size``."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def run_benchmark(model=EMBEDDED_MODEL, adapter=None, data=None, requests=32, burst=64,
                  max_batch=16, device='auto', max_new_tokens=DEFAULT_MAX_NEW_TOKENS, seed=0,
                  progress=True, precision='auto', race_minutes=0.0, race_config=None,
                  race_eval_examples=32):
    """
    Measure the tutorials' loop against the serving path and return every figure as a dict.

    Single requests: each path answers the same ``requests`` requests one at a time, taking
    turns. Burst: ``burst`` requests, answered by ours in batches of ``max_batch`` and by the
    tutorials' loop one at a time, a batch's worth each in turn. One request each goes first,
    untimed, to warm up. Ratios are ours / the tutorials' loop's.

    :param model: ``embedded``, a ``.gguf`` path, a local folder or a hub id.
    :param adapter: prompt-weight folder (default: the shipped turtlesim weights); ``''``
        for the bare base model.
    :param data: JSONL file of requests (default: the shipped turtlesim test split).
    :param precision: the base model's number format (``auto``, ``fp32``, ``bf16``, ``int8``),
        the same for both paths.
    :param race_minutes: the tutorials' training time in the training race (0: no race).
    :param race_config: our training config in the race (default: the shipped turtlesim
        one), scored on ``race_eval_examples`` of its validation requests.
    :raises ValueError: for a count that is not positive, or an unknown precision.
    """
    import torch
    from tqdm import tqdm

    from ros2_prompt_tuning.data import read_jsonl
    from ros2_prompt_tuning.generation import CommandGenerator
    from ros2_prompt_tuning.robot import default_robot
    if min(requests, burst, max_batch, max_new_tokens) <= 0:
        raise ValueError('requests, burst, max_batch and max_new_tokens must be > 0')
    adapter = str(default_adapter_dir()) if adapter is None else adapter or None
    data = data or str(share_dir() / 'data' / 'turtlesim' / 'test.jsonl')
    examples = read_jsonl(data, require_command=False)
    single = pick_examples(examples, requests, seed)
    bursting = pick_examples(examples, burst, seed + 1)
    started = time.perf_counter()
    ours = CommandGenerator.load(model, adapter, device, max_new_tokens, precision=precision)
    tutorial = TutorialLoop.beside(ours, model, adapter)
    load_seconds = time.perf_counter() - started
    with tqdm(total=2 + 2 * requests + 2 * burst, desc='benchmark', unit='reply',
              disable=not progress) as bar:
        side_by_side = SideBySide(ours, tutorial, bar)
        loaded_rss = side_by_side.watcher.start()
        try:
            side_by_side.run(single, bursting, max_batch)
        finally:
            side_by_side.watcher.stop()
    robot = default_robot()
    summaries = {path: side_by_side.records[path].summary(burst, robot) for path in PATHS}
    watcher = side_by_side.watcher
    for path in PATHS:
        peak = watcher.peaks.get(path)
        summaries[path]['peak_rss_mb'] = peak / MEGABYTE if peak else None
        summaries[path]['rss_above_loaded_mb'] = \
            (peak - loaded_rss) / MEGABYTE if peak and loaded_rss else None
        if path in watcher.gpu_peaks:
            summaries[path]['peak_gpu_mb'] = watcher.gpu_peaks[path] / MEGABYTE
    ratios = {key: ratio(summaries['ours'][key], summaries['tutorial'][key])
              for key, _, _ in ROWS}
    targets = check_targets(summaries, ratios)
    not_measured = dict(NOT_MEASURED)
    race = None
    if race_minutes > 0:
        from ros2_prompt_tuning.training_race import run_race
        race = run_race(race_config or share_dir() / 'config' / 'train_turtlesim.yaml',
                        race_minutes, race_eval_examples, device=device, progress=progress)
        targets.append({'figure': RACE_KEY, 'of': 'ratio', 'target': f'<= {RACE_TARGET:g}',
                        'value': race['ratio'],
                        'met': None if race['ratio'] is None or race_minutes != 60
                        else race['ratio'] <= RACE_TARGET})
        del not_measured[RACE_KEY]
    return {
        'setup': {
            'model': model, 'adapter': str(adapter) if adapter else None,
            'method': ours.metadata['method'] if ours.metadata else None,
            'data': str(data), 'requests': requests, 'burst': burst, 'max_batch': max_batch,
            'max_new_tokens': max_new_tokens, 'seed': seed, 'device': str(side_by_side.device),
            'dtype': str(ours.network.dtype),
            'precision': select_precision(precision, side_by_side.device.type),
            'torch_threads': torch.get_num_threads(),
            'cpu_count': os.cpu_count(), 'machine': platform.machine(),
            'python': platform.python_version(), 'torch': torch.__version__,
            'load_seconds': load_seconds, 'tokens_counted_without': 'the end-of-reply token',
        },
        'tutorial': summaries['tutorial'],
        'ours': summaries['ours'],
        'ratios': ratios,
        'memory': {'source': watcher.source,
                   'loaded_rss_mb': loaded_rss / MEGABYTE if loaded_rss else None,
                   'process_peak_rss_mb': process_peak_rss() / MEGABYTE},
        'targets': targets,
        'not_measured': not_measured,
        **({'training': race} if race else {}),
    }


def check_targets(summaries, ratios):
    """Return the issue's targets with the values measured and whether each is met."""
    checked = []
    for key, comparison, bound, subject in TARGETS:
        value = ratios[key] if subject == 'ratio' else summaries[subject][key]
        met = None if value is None else (value <= bound if comparison == '<=' else
                                          value >= bound)
        checked.append({'figure': key, 'of': subject, 'target': f'{comparison} {bound:g}',
                        'value': value, 'met': met})
    return checked


def show(value, unit=''):
    """Return a figure for the table: shares in percent, others with three digits."""
    if value is None:
        return '-'
    if unit == 'share':
        return f'{100 * value:.1f} %'
    return f'{value:.3g}'


def markdown_table(results):
    """Return the results as a markdown table, one row per figure, plus what was not measured."""
    targets = {target['figure']: target for target in results['targets']}
    lines = ["| figure | tutorials' loop | ours | ours / tutorials' | target |",
             '| --- | ---: | ---: | ---: | --- |']
    for key, label, unit in ROWS:
        target = targets.get(key)
        goal = '' if target is None else (
            f'{target["of"]} {target["target"]}: '
            + {True: 'met', False: 'not met', None: '-'}[target['met']])
        suffix = f' ({unit})' if unit and unit != 'share' else ''
        lines.append(f'| {label}{suffix} | {show(results["tutorial"][key], unit)} | '
                     f'{show(results["ours"][key], unit)} | {show(results["ratios"][key])} | '
                     f'{goal} |')
    race = results.get('training')
    if race:
        target = targets[RACE_KEY]
        goal = {True: 'met', False: 'not met', None: '-'}[target['met']]
        lines.append(
            f"| training: time to the tutorials' loop's {race['minutes']:g}-minute accuracy "
            f"({show(race['tutorial']['accuracy'], 'share')}) (s) | "
            f"{show(race['tutorial']['seconds'])} | {show(race['ours']['training_seconds'])} | "
            f"{show(race['ratio'])} | ratio {target['target']}: {goal} |")
    for missing in results['not_measured'].values():
        lines.append(f'| {missing["figure"]} | - | - | - | {missing["status"]} |')
    setup = results['setup']
    lines.append('')
    lines.append(f'{setup["requests"]} single requests, a burst of {setup["burst"]} (ours in '
                 f'batches of {setup["max_batch"]}), max_new_tokens {setup["max_new_tokens"]}, '
                 f'{setup["device"]} {setup.get("precision", setup["dtype"])}, '
                 f'{setup["torch_threads"]} threads; '
                 f'model {setup["model"]}, weights {setup["adapter"]}.')
    return '\n'.join(lines)


def save_plot(results, path):
    """Draw latency, burst throughput, token split and memory of both paths into ``path``."""
    import matplotlib
    matplotlib.use('Agg')
    from matplotlib import pyplot

    names = [PATH_NAMES[path] for path in PATHS]
    figure, axes = pyplot.subplots(1, 4, figsize=(16, 4))
    width = 0.35
    for offset, key in ((-width / 2, 'latency_p50'), (width / 2, 'latency_p95')):
        axes[0].bar([index + offset for index in range(len(PATHS))],
                    [results[path][key] for path in PATHS], width, label=key[-3:])
    axes[0].set_title("single-request latency\n(p50 ours / tutorials': "
                      f'{show(results["ratios"]["latency_p50"])})')
    axes[0].set_ylabel('seconds')
    axes[0].legend()
    axes[1].bar(names, [results[path]['burst_commands_per_s'] for path in PATHS])
    axes[1].set_title(f'burst of {results["setup"]["burst"]}\n' "(ours / tutorials': "
                      f'{show(results["ratios"]["burst_commands_per_s"])})')
    axes[1].set_ylabel('commands/s')
    computed = [results[path]['computed_tokens'] / results[path]['commands'] for path in PATHS]
    forced = [results[path]['forced_tokens'] / results[path]['commands'] for path in PATHS]
    axes[2].bar(names, computed, label='computed by the model')
    axes[2].bar(names, forced, bottom=computed, label='forced by the grammar')
    axes[2].set_title('output tokens per command\n(the model computes '
                      f'{show(results["ours"]["computed_share"], "share")} of ours)')
    axes[2].legend()
    axes[3].bar(names, [results[path]['peak_rss_mb'] or 0 for path in PATHS])
    axes[3].set_title('peak resident memory\n(while answering)')
    axes[3].set_ylabel('MB')
    for axis in axes:
        axis.set_xticks(range(len(PATHS)), names)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def build_parser():
    """Return the argument parser."""
    parser = argparse.ArgumentParser(prog='benchmark', description=__doc__.split('\n\n')[1])
    parser.add_argument('--model', default=EMBEDDED_MODEL,
                        help='base model: embedded, a .gguf file, a folder or a hub id')
    parser.add_argument('--adapter', metavar='DIR', default=str(default_adapter_dir()),
                        help='prompt-weight folder (default: the shipped turtlesim weights; '
                        '"" for the bare base model)')
    parser.add_argument('--data', metavar='FILE.jsonl',
                        default=str(share_dir() / 'data' / 'turtlesim' / 'test.jsonl'),
                        help='requests, "instruction" a line (default: turtlesim test split)')
    parser.add_argument('--device', default='auto', choices=('auto', 'cuda', 'cpu'))
    parser.add_argument('--precision', default='auto', choices=PRECISIONS,
                        help="the base model's number format, for both paths (auto: bf16 on "
                        'CUDA, the measured best on CPU; int8: CPU only)')
    parser.add_argument('--requests', type=int, default=32,
                        help='single requests each path answers for the latency figures')
    parser.add_argument('--burst', type=int, default=64, help='requests in the burst')
    parser.add_argument('--max-batch', type=int, default=16,
                        help='largest batch the serving path decodes at once in the burst')
    parser.add_argument('--max-new-tokens', type=int, default=DEFAULT_MAX_NEW_TOKENS)
    parser.add_argument('--seed', type=int, default=0, help='which requests are drawn')
    parser.add_argument('--race-minutes', type=float, default=0.0,
                        help="also race our training against the tutorials' training loop "
                        'trained this long (60 for the target; 0: no race)')
    parser.add_argument('--race-config', metavar='FILE.yaml',
                        help='our training config in the race (default: the shipped '
                        "turtlesim one; relative paths are the package folder's)")
    parser.add_argument('--race-eval-examples', type=int, default=32,
                        help='validation requests both trainings are scored on')
    parser.add_argument('--out', metavar='FILE.json', help='write every figure as JSON')
    parser.add_argument('--plot', metavar='FILE.png', help='draw the figures')
    parser.add_argument('--quiet', action='store_true', help='no progress bar')
    return parser


def main(argv=None):
    """Run the benchmark, print the table; write the JSON and the plot when asked."""
    args = build_parser().parse_args(argv)
    try:
        results = run_benchmark(args.model, args.adapter, args.data, args.requests, args.burst,
                                args.max_batch, args.device, args.max_new_tokens, args.seed,
                                not args.quiet, args.precision, args.race_minutes,
                                args.race_config, args.race_eval_examples)
    except (OSError, ValueError) as error:
        print(f'benchmark: error: {error}', file=sys.stderr)
        return 2
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as stream:
            json.dump(results, stream, indent=2)
            stream.write('\n')
    if args.plot:
        save_plot(results, args.plot)
    print(markdown_table(results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
