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

"""Train prompt weights on a frozen causal LM with the method the config names."""

import csv
from dataclasses import asdict, fields
import math
from pathlib import Path
import random
import time
import warnings

from ros2_prompt_tuning.adapter import (ADAPTER_FILES, describe_weights, read_starting_prompt,
                                        save_adapter)
from ros2_prompt_tuning.data import (collate, dataset_fingerprint, encode_example, file_sha256,
                                     IGNORE_INDEX, read_jsonl)
from ros2_prompt_tuning.evaluation import predict, summarise
from ros2_prompt_tuning.generation import command_constraint, CommandGenerator
from ros2_prompt_tuning.methods import method_module
from ros2_prompt_tuning.models import load_base_model, select_device, training_precision
from ros2_prompt_tuning.resampling import resampled_examples
from ros2_prompt_tuning.rewriting import RequestRewriter
from ros2_prompt_tuning.robot import default_robot, RobotDescription
from ros2_prompt_tuning.spelling import training_vocabulary

LOG_FILE = 'training_log.csv'
CHECKPOINT_FILE = 'checkpoint.pt'
CURVE_FILE = 'loss_curve.png'
LOSS_TOLERANCE = 1e-4
# elapsed_s: wall time since the start; training_s: the part spent in training steps.
LOG_COLUMNS = ('step', 'epoch', 'learning_rate', 'train_loss', 'validation_loss',
               'validation_accuracy', 'elapsed_s', 'training_s')


# Options that do not change what a run computes: a resumed run may differ in these.
NOT_IN_IDENTITY = ('output_dir', 'resume', 'overwrite', 'save_every', 'test_data', 'device',
                   'stop_at_accuracy', 'finish')
DATA_OPTIONS = ('validation_data', 'robot')
# Options naming files that the identity holds by their SHA-256 instead.
FILE_OPTIONS = ('train_data', 'init_weights')


class CheckpointError(ValueError):
    """A checkpoint cannot be resumed, or would be overwritten."""


def run_identity(config):
    """
    Return what must not change between a run and its resumption.

    Every option that alters the run's result, with the files (training and validation
    data, robot description, starting weights) by their SHA-256.
    """
    identity = {item.name: getattr(config, item.name) for item in fields(config)
                if item.name not in NOT_IN_IDENTITY + DATA_OPTIONS + FILE_OPTIONS}
    identity['train_data_sha256'] = one_or_list([file_sha256(path)
                                                 for path in config.train_files])
    for name in DATA_OPTIONS:
        path = getattr(config, name)
        identity[f'{name}_sha256'] = file_sha256(path) if path else None
    if config.init_weights:
        identity['init_weights'] = file_sha256(Path(config.init_weights) / ADAPTER_FILES[1])
    return identity


def one_or_list(items):
    """Return the one item of ``items``, or the list when there are several (training files)."""
    return items[0] if len(items) == 1 else items


def check_output_dir(config):
    """
    Refuse to start a new run over the checkpoint of another one, unless asked to.

    :raises CheckpointError: when ``output_dir`` holds a checkpoint and neither ``resume``
        nor ``overwrite`` is set, or holds none to ``finish``.
    """
    checkpoint = Path(config.output_dir) / CHECKPOINT_FILE
    if config.finish and not checkpoint.is_file():
        raise CheckpointError(f'{checkpoint}: no checkpoint to finish')
    if checkpoint.is_file() and not (config.resume or config.overwrite):
        raise CheckpointError(
            f'{checkpoint}: expected no checkpoint in the output folder of a new run, found '
            'one from an earlier run: continue it with --resume or start again with '
            '--overwrite')


def load_checkpoint(path, identity, prompt_module, optimizer, schedule):
    """
    Restore a checkpoint into the prompt, optimizer and schedule; return the loop state.

    The file is read with ``weights_only=True``: it holds only tensors and plain values.
    Options a checkpoint does not record (written by an older version) cannot be compared
    and are named in a warning.

    :raises CheckpointError: when the file cannot be read or belongs to a run with other
        settings.
    """
    import torch
    try:
        saved = torch.load(path, map_location='cpu', weights_only=True)
        recorded = saved['identity']
    except Exception as error:  # noqa: B902 - whatever torch raises, name the file
        raise CheckpointError(
            f'{path}: expected a training checkpoint, found {type(error).__name__}: '
            f'{str(error).strip().splitlines()[0] if str(error).strip() else ""}') from None
    changed = sorted(key for key in identity
                     if key in recorded and recorded[key] != identity[key])
    if changed:
        raise CheckpointError(
            f'{path}: expected a run with the same settings, found other '
            + ', '.join(f'{key} ({recorded[key]!r} there, {identity[key]!r} now)'
                        for key in changed)
            + ': resume with the same settings or use another output_dir')
    unrecorded = sorted(set(identity) - set(recorded))
    if unrecorded:
        warnings.warn(f'{path} does not record {", ".join(unrecorded)}: resuming without '
                      'checking them')
    prompt_module.load_state_dict(saved['weights'])
    optimizer.load_state_dict(saved['optimizer'])
    schedule.load_state_dict(saved['schedule'])
    return saved


def scored_sample(examples, count, seed):
    """Return the validation requests whose accuracy a run measures, ``count`` of them."""
    return random.Random(seed).sample(examples, min(count, len(examples)))


def batches(encoded, batch_size, generator):
    """
    Yield shuffled mini-batches of encoded pairs forever, epoch after epoch.

    :returns: an iterator of ``(epoch, list of pairs)``.
    """
    epoch = 0
    while True:
        order = list(range(len(encoded)))
        generator.shuffle(order)
        for start in range(0, len(order), batch_size):
            yield epoch, [encoded[index] for index in order[start:start + batch_size]]
        epoch += 1


def shard(pairs, index, count):
    """
    Return process ``index``'s share of a global batch over ``count`` processes.

    Each process takes every ``count``-th pair. One left without pairs (a batch smaller than
    the number of processes) runs the first pair without counting it, so that it still takes
    part in the gradient's all-reduce.

    :returns: ``(pairs, counted)``.
    """
    share = pairs[index::count]
    return (share, True) if share else (pairs[:1], False)


def batch_loss(peft_model, batch, per_sequence):
    """
    Return the summed next-token loss of a collated batch on its labelled tokens.

    :param per_sequence: sum each pair's loss averaged over its labelled tokens; otherwise
        sum the loss of every labelled token.
    :returns: ``(loss, weight)``: the summed loss and the number of terms it sums (pairs with
        a label, or labelled tokens); their ratio is the batch's mean loss.
    """
    import torch
    labels = batch['labels'][:, 1:]
    output = peft_model(input_ids=batch['input_ids'], attention_mask=batch['attention_mask'])
    # A soft prompt puts its virtual tokens in front: the last positions are the pair's.
    logits = output.logits[:, -labels.shape[1] - 1:-1]
    losses = torch.nn.functional.cross_entropy(
        logits.float().transpose(1, 2), labels, ignore_index=IGNORE_INDEX, reduction='none')
    counted = labels != IGNORE_INDEX
    if not per_sequence:
        return losses.sum(), int(counted.sum())
    per_pair = losses.sum(dim=1) / counted.sum(dim=1).clamp(min=1)
    labelled = counted.any(dim=1)
    return per_pair[labelled].sum(), int(labelled.sum())


def mean_loss(peft_model, encoded, batch_size, pad_token_id, device, per_sequence):
    """Return the mean loss of ``encoded`` pairs without training."""
    import torch
    total, weight = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(encoded), batch_size):
            batch = collate(encoded[start:start + batch_size], pad_token_id)
            batch = {key: value.to(device) for key, value in batch.items()}
            loss, count = batch_loss(peft_model, batch, per_sequence)
            total += float(loss)
            weight += count
    return total / weight


def accumulate_gradient(accelerator, model, pairs, pad_token_id, device, autocast,
                        per_sequence):
    """
    Add this process's share of the gradient of a global batch's mean loss; return that mean.

    Each process sums the loss of its share and divides it by the weight of the whole batch,
    scaled by the number of processes that DDP averages the gradients over: the result is the
    gradient of one process holding the whole batch, however the pairs fall.
    """
    import torch
    share, counted = shard(pairs, accelerator.process_index, accelerator.num_processes)
    batch = {key: value.to(device) for key, value in collate(share, pad_token_id).items()}
    with autocast:
        loss, weight = batch_loss(model, batch, per_sequence)
    if not counted:
        loss, weight = loss * 0.0, 0
    total_loss, total_weight = accelerator.reduce(
        torch.stack([loss.detach(), torch.tensor(float(weight), device=device)]), 'sum')
    total_weight = total_weight.clamp(min=1.0)
    accelerator.backward(loss * accelerator.num_processes / total_weight)
    return float(total_loss / total_weight)


def better(row, best):
    """
    Return whether an evaluation ``row`` beats the ``best`` one so far.

    Held-out semantic accuracy decides when it was measured; the validation loss breaks ties,
    counting only a drop of more than ``LOSS_TOLERANCE`` of it (bf16 noise is no progress).
    """
    accuracy = row['validation_accuracy']
    if accuracy != '' and accuracy != best['validation_accuracy']:
        return accuracy > best['validation_accuracy']
    return row['validation_loss'] < best['validation_loss'] * (1.0 - LOSS_TOLERANCE)


def plot_losses(rows, path):
    """
    Draw the losses against step and the held-out accuracy against wall time into a PNG.

    The accuracy panel is drawn only when accuracy was measured.
    """
    import matplotlib
    matplotlib.use('Agg')
    from matplotlib import pyplot
    scored = [row for row in rows if row.get('validation_accuracy', '') != '']
    figure, panels = pyplot.subplots(1, 2 if scored else 1, figsize=(11 if scored else 7, 4),
                                     squeeze=False)
    axes = panels[0][0]
    axes.plot([row['step'] for row in rows], [row['train_loss'] for row in rows],
              label='train (mean since last log)')
    validation = [row for row in rows if row['validation_loss'] != '']
    if validation:
        axes.plot([row['step'] for row in validation],
                  [row['validation_loss'] for row in validation], 'o-', label='validation')
    axes.set_xlabel('step')
    axes.set_ylabel('loss')
    axes.set_yscale('log')
    axes.legend()
    axes.grid(True, alpha=0.3)
    if scored:
        axes = panels[0][1]
        axes.plot([row['elapsed_s'] / 60.0 for row in scored],
                  [100.0 * row['validation_accuracy'] for row in scored], 'o-')
        axes.set_xlabel('training wall time (min)')
        axes.set_ylabel('held-out semantic accuracy (%)')
        axes.set_ylim(0, 100)
        axes.grid(True, alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def train(config, progress=True):
    """
    Train prompt weights as ``config`` says and save them with their metadata and logs.

    The loop runs under Hugging Face ``accelerate``: in one process, or data parallel in
    processes started by ``accelerate launch`` or ``torchrun``, each taking its share of every
    batch of ``batch_size`` pairs. Only the main process shows progress, evaluates and writes;
    the others follow its early-stopping decision. Every process reads the checkpoint that
    ``--resume`` continues, so ``output_dir`` must be on storage they all see.

    :param config: a ``TrainingConfig``.
    :param progress: show a progress bar.
    :returns: ``(peft_model, metadata)``: the trained model, in eval mode with the best
        virtual tokens, and the metadata written beside the adapter; ``metadata`` is
        ``None`` in the other processes of a distributed run.
    """
    import torch
    from accelerate import Accelerator
    from accelerate.utils import broadcast_object_list
    from tqdm import tqdm
    from transformers import get_cosine_schedule_with_warmup
    # Placement and precision stay the config's: accelerate only runs the processes.
    accelerator = Accelerator(cpu=select_device(config.device)[0].type == 'cpu',
                              device_placement=False, mixed_precision='no')
    main = accelerator.is_main_process
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    check_output_dir(config)
    output_dir = Path(config.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)

    base_model = load_base_model(config.model, config.device,
                                 training_precision(config.device))
    tokenizer = base_model.tokenizer
    device = base_model.model.get_input_embeddings().weight.device
    method = method_module(config.method)
    peft_model = method.build(config, base_model)
    if config.init_weights:
        start = read_starting_prompt(config.init_weights, base_model, config.method,
                                     config.num_virtual_tokens)
        with torch.no_grad():
            peft_model.prompt_encoder['default'].embedding.weight.copy_(start)
    robot = RobotDescription.load(config.robot) if config.robot else default_robot()
    constraint = command_constraint(base_model.model, tokenizer, config.prompt_template, robot)
    train_examples = [example for path in config.train_files for example in read_jsonl(path)]
    # Requests are read as the node will read them: typos corrected toward the training words.
    vocabulary = training_vocabulary(example.instruction for example in train_examples) \
        if config.rewrite_quantities else None
    rewrite = RequestRewriter(robot, vocabulary) if config.rewrite_quantities else None
    if config.resample_copies:
        train_examples += resampled_examples(train_examples, robot, config.resample_copies,
                                             config.seed, rewrite)
    validation_examples = read_jsonl(config.validation_data) if config.validation_data else []
    scored_examples = scored_sample(validation_examples, config.eval_examples, config.seed)

    def encode(example):
        return encode_example(tokenizer, example, config.max_length, config.prompt_template,
                              rewrite,
                              constraint if config.decisions_only else None)

    train_encoded = [encode(example) for example in tqdm(
        train_examples, desc='encoding', disable=not (progress and main))]
    # Validation loss is measured on the requests whose accuracy is measured, when there are.
    validation_encoded = [encode(example) for example in scored_examples or validation_examples]
    autocast = torch.autocast(device.type, dtype=torch.bfloat16,
                              enabled=device.type == 'cpu' and config.cpu_bf16)

    def generator_of(model):
        return CommandGenerator.from_peft(model, tokenizer, template=config.prompt_template,
                                          constraint=constraint, rewrite=rewrite,
                                          max_new_tokens=config.max_new_tokens)

    def accuracy():
        predictions = predict(generator_of(peft_model), scored_examples, robot,
                              batch_size=16, progress=False)
        return summarise(predictions)['semantic_accuracy']
    cut = sum(input_ids[-1] != tokenizer.eos_token_id for input_ids, _ in train_encoded)
    if cut and main:
        warnings.warn(f'{cut} training pairs are longer than max_length={config.max_length} '
                      'tokens and were cut (they lose their end of sequence): raise max_length')

    trainable = [parameter for parameter in peft_model.parameters() if parameter.requires_grad]
    trainable_parameters = sum(parameter.numel() for parameter in trainable)
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate, weight_decay=0.0)
    schedule = get_cosine_schedule_with_warmup(optimizer, config.warmup_steps, config.max_steps)
    stream = batches(train_encoded, config.batch_size, random.Random(config.seed))
    prompt_module = peft_model.prompt_encoder['default']

    def snapshot():
        """Return a copy of the trainable prompt state."""
        return {key: value.detach().clone() for key, value in prompt_module.state_dict().items()}

    checkpoint = output_dir / CHECKPOINT_FILE
    identity = run_identity(config)

    state = {'step': 0, 'rows': [], 'window': [], 'elapsed_s': 0.0, 'training_s': 0.0,
             'stale_evaluations': 0,
             'best': {'validation_loss': math.inf, 'validation_accuracy': -1.0, 'step': 0,
                      'weights': snapshot()}}
    if config.resume and checkpoint.is_file():
        state = load_checkpoint(checkpoint, identity, prompt_module, optimizer, schedule)
        for _ in range(state['step']):
            next(stream)
    if config.resume:
        steps = accelerator.gather(torch.tensor([state['step']], device=device))
        if steps.min() != steps.max():
            raise CheckpointError(
                f'{checkpoint}: expected every process to resume from the same checkpoint, '
                f'found steps {steps.tolist()}: put output_dir where every machine reads it')
    # One process: the model itself; several: the model in DDP, which averages gradients.
    parallel_model, optimizer = accelerator.prepare(peft_model, optimizer)
    rows, window, best = state['rows'], state['window'], state['best']
    started = time.monotonic() - state['elapsed_s']
    training_s = state.get('training_s', 0.0)

    def save_checkpoint(step):
        """Write everything a resumed run needs, atomically."""
        contents = {'identity': identity, 'step': step, 'rows': rows, 'window': window,
                    'elapsed_s': time.monotonic() - started, 'training_s': training_s,
                    'best': best,
                    'stale_evaluations': stale_evaluations,
                    'weights': snapshot(),
                    'optimizer': optimizer.state_dict(), 'schedule': schedule.state_dict()}
        torch.save(contents, checkpoint.with_suffix('.tmp'))
        checkpoint.with_suffix('.tmp').replace(checkpoint)

    stale_evaluations = state['stale_evaluations']
    last_step = state['step'] if config.finish else config.max_steps
    bar = tqdm(range(state['step'] + 1, last_step + 1), desc='training',
               initial=state['step'], total=config.max_steps, disable=not (progress and main))
    parallel_model.train()
    step = state['step']
    for step in bar:
        step_started = time.monotonic()
        epoch, pairs = next(stream)
        optimizer.zero_grad()
        window.append(accumulate_gradient(accelerator, parallel_model, pairs,
                                          tokenizer.pad_token_id, device, autocast,
                                          config.per_sequence_loss))
        accelerator.clip_grad_norm_(trainable, config.max_grad_norm)
        optimizer.step()
        schedule.step()
        training_s += time.monotonic() - step_started
        if step % config.eval_every and step != config.max_steps:
            bar.set_postfix(loss=f'{window[-1]:.4f}')
            if main and step % config.save_every == 0:
                save_checkpoint(step)
            continue
        row = {'step': step, 'epoch': epoch, 'learning_rate': schedule.get_last_lr()[0],
               'train_loss': sum(window) / len(window), 'validation_loss': '',
               'validation_accuracy': '', 'elapsed_s': round(time.monotonic() - started, 1),
               'training_s': round(training_s, 1)}
        window = []
        if not main:
            # Wait for the main process's evaluation and follow its decision to stop.
            if broadcast_object_list([None])[0]:
                break
            continue
        if validation_encoded:
            peft_model.eval()
            with autocast:
                row['validation_loss'] = mean_loss(peft_model, validation_encoded,
                                                   config.batch_size, tokenizer.pad_token_id,
                                                   device, config.per_sequence_loss)
            if scored_examples:
                row['validation_accuracy'] = accuracy()
            peft_model.train()
            if better(row, best):
                best = {'validation_loss': row['validation_loss'],
                        'validation_accuracy': (-1.0 if row['validation_accuracy'] == ''
                                                else row['validation_accuracy']),
                        'step': step, 'weights': snapshot()}
                stale_evaluations = 0
            else:
                stale_evaluations += 1
        rows.append(row)
        bar.set_postfix(loss=f'{row["train_loss"]:.4f}',
                        val=f'{row["validation_loss"]:.4f}' if validation_encoded else '-',
                        acc=f'{row["validation_accuracy"]:.3f}' if scored_examples else '-')
        save_checkpoint(step)
        stop = (bool(config.early_stopping_patience)
                and stale_evaluations >= config.early_stopping_patience) or (
            bool(config.stop_at_accuracy) and row['validation_accuracy'] != ''
            and row['validation_accuracy'] >= config.stop_at_accuracy)
        broadcast_object_list([stop])
        if stop:
            break
    bar.close()
    seconds = time.monotonic() - started
    peft_model.eval()
    if not main:
        return peft_model, None
    if validation_encoded:
        prompt_module.load_state_dict(best['weights'])
    method.finish(peft_model)

    with open(output_dir / LOG_FILE, 'w', newline='', encoding='utf-8') as log:
        writer = csv.DictWriter(log, fieldnames=LOG_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    plot_losses(rows, output_dir / CURVE_FILE)

    metrics = {'final_train_loss': rows[-1]['train_loss']}
    if validation_examples:
        metrics.update(best_validation_loss=best['validation_loss'], best_step=best['step'])
    generator = generator_of(peft_model)
    held_out = {'validation': config.validation_data, 'test': config.test_data}
    held_out_examples = {'validation': validation_examples,
                         'test': read_jsonl(config.test_data) if config.test_data else []}
    for split, examples in held_out_examples.items():
        if examples:
            predictions = predict(generator, examples, batch_size=config.batch_size,
                                  progress=progress)
            summary = summarise(predictions)
            for name in ('semantic_accuracy', 'exact_match', 'validity'):
                metrics[f'{split}_{name}'] = summary[name]
    metadata = {
        **describe_weights(config.method, base_model, config.prompt_template,
                           config.num_virtual_tokens),
        'datasets': {
            'train': one_or_list([dataset_fingerprint(path) for path in config.train_files]),
            **{split: dataset_fingerprint(path) for split, path in held_out.items() if path}},
        'training': {'steps': step, 'seconds': round(seconds, 1),
                     'pairs': len(train_examples),
                     'trainable_parameters': trainable_parameters,
                     'processes': accelerator.num_processes,
                     'device': str(device), 'dtype': str(base_model.model.dtype)},
        'metrics': metrics,
        'config': asdict(config),
    }
    save_adapter(peft_model, output_dir, metadata, vocabulary)
    return peft_model, metadata
