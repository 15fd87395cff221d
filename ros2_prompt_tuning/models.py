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

"""Load a frozen base model and its tokenizer: hub id, local folder, GGUF file or embedded."""

from dataclasses import dataclass
import hashlib
from pathlib import Path

from ros2_prompt_tuning.resources import embedded_gguf_file, EMBEDDED_MODEL

DEVICES = ('auto', 'cuda', 'cpu')
PRECISIONS = ('auto', 'fp32', 'bf16', 'int8')
CPU_AUTO_PRECISION = 'bf16'
"""What ``auto`` means on CPU: the fastest precision within a point of fp32's accuracy."""


class ModelLoadError(ValueError):
    """A model or prompt-weight file is corrupt or does not match: one line says so."""


def problem(path, expected, found):
    """Return the one-line message that names a file, what was expected and what was found."""
    return f'{path}: expected {expected}, found {found}'


def first_line(error):
    """Return the first line of an exception's message, with its type."""
    text = str(error).strip().splitlines()
    return f'{type(error).__name__}: {text[0]}' if text else type(error).__name__


@dataclass(frozen=True)
class ModelSource:
    """
    Where a base model comes from.

    :param name: what identifies the model in metadata (hub id, folder name or GGUF file name).
    :param location: hub id or local folder handed to ``from_pretrained``.
    :param gguf_file: GGUF file name inside ``location``, or ``None``.
    """

    name: str
    location: str
    gguf_file: str = None

    @classmethod
    def resolve(cls, model):
        """
        Turn a ``model`` option (``embedded``, a GGUF path, a folder or a hub id) into a source.

        :raises FileNotFoundError: for a ``.gguf`` path that is not a file.
        """
        if model == EMBEDDED_MODEL:
            model = str(embedded_gguf_file())
        path = Path(model).expanduser()
        if model.endswith('.gguf'):
            if not path.is_file():
                raise FileNotFoundError(problem(model, 'a GGUF model file', 'no such file'))
            return cls(name=path.name, location=str(path.parent), gguf_file=path.name)
        if path.is_dir():
            return cls(name=path.resolve().name, location=str(path))
        return cls(name=model, location=model)

    def fingerprint(self):
        """Return size in bytes and SHA-256 of the local weights (``None`` for a hub id)."""
        if self.gguf_file:
            files = [Path(self.location) / self.gguf_file]
        else:
            folder = Path(self.location)
            files = sorted(folder.glob('*.safetensors')) + sorted(folder.glob('*.bin'))
        if not files:
            return {'size_bytes': None, 'sha256': None}
        digest = hashlib.sha256()
        size = 0
        for file in files:
            size += file.stat().st_size
            with open(file, 'rb') as stream:
                for block in iter(lambda: stream.read(1 << 20), b''):
                    digest.update(block)
        return {'size_bytes': size, 'sha256': digest.hexdigest()}


def select_device(device='auto'):
    """
    Return ``(torch.device, dtype)``: CUDA in bf16 when asked for or available, else CPU fp32.

    :raises ValueError: for an unknown device or ``cuda`` on a machine without CUDA.
    """
    import torch
    if device not in DEVICES:
        raise ValueError(f'device must be one of {", ".join(DEVICES)}, not {device!r}')
    if device == 'cuda' and not torch.cuda.is_available():
        raise ValueError('device "cuda" was asked for but CUDA is not available')
    if device == 'cuda' or (device == 'auto' and torch.cuda.is_available()):
        return torch.device('cuda'), torch.bfloat16
    return torch.device('cpu'), torch.float32


def select_precision(precision='auto', device_type='cpu'):
    """
    Return the precision the frozen base model runs in on a ``cuda`` or ``cpu`` device.

    ``auto`` is bf16 on CUDA and :data:`CPU_AUTO_PRECISION` on CPU; ``fp32`` and ``bf16`` are
    the weights' dtype; ``int8`` quantises the linear layers' weights (CPU only).

    :raises ValueError: for an unknown precision, or ``int8`` on CUDA.
    """
    if precision not in PRECISIONS:
        raise ValueError(f'precision must be one of {", ".join(PRECISIONS)}, not {precision!r}')
    if precision == 'auto':
        return 'bf16' if device_type == 'cuda' else CPU_AUTO_PRECISION
    if precision == 'int8' and device_type != 'cpu':
        raise ValueError('precision "int8" (dynamic quantisation) runs on CPU only, '
                         f'not on {device_type}')
    return precision


def training_precision(device='auto'):
    """Return the precision prompt weights train against: bf16 on CUDA, fp32 on CPU."""
    return 'bf16' if select_device(device)[0].type == 'cuda' else 'fp32'


@dataclass
class BaseModel:
    """A frozen causal LM, its tokenizer and where it came from."""

    model: object
    tokenizer: object
    source: ModelSource

    @property
    def hidden_size(self):
        """Return the width of the model's input embeddings."""
        return self.model.get_input_embeddings().weight.shape[1]

    def describe(self, with_fingerprint=False):
        """Return the metadata that identifies this base model."""
        info = {'name': self.source.name, 'gguf_file': self.source.gguf_file,
                'hidden_size': self.hidden_size, 'architecture': type(self.model).__name__}
        if with_fingerprint:
            info.update(self.source.fingerprint())
        return info


def load_base_model(model, device='auto', precision='auto'):
    """
    Load ``model`` frozen and in eval mode on ``device``; give the tokenizer a pad token.

    :param model: ``embedded``, a ``.gguf`` path, a local folder or a hub id.
    :param device: ``auto``, ``cuda`` or ``cpu``.
    :param precision: ``auto``, ``fp32``, ``bf16`` or ``int8`` (see :func:`select_precision`).
    :raises ValueError: for an unknown device or precision, or one this machine cannot run.
    :raises ModelLoadError: when the model is missing or cannot be read.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    torch_device, _ = select_device(device)
    precision = select_precision(precision, torch_device.type)
    dtype = torch.bfloat16 if precision == 'bf16' else torch.float32
    source = ModelSource.resolve(model)
    extra = {'gguf_file': source.gguf_file} if source.gguf_file else {}
    path = str(Path(source.location) / source.gguf_file) if source.gguf_file else model
    expected = ('a GGUF causal language model' if source.gguf_file else
                'a causal language model folder or hub id (config, tokenizer and weights)')
    # A GGUF file is dequantised in fp32 (transformers warns when asked for another dtype)
    # and cast afterwards.
    load_dtype = torch.float32 if source.gguf_file else dtype
    try:
        tokenizer = AutoTokenizer.from_pretrained(source.location, **extra)
        network = AutoModelForCausalLM.from_pretrained(source.location, dtype=load_dtype,
                                                       **extra)
    except Exception as error:  # noqa: B902 - whatever a loader raises, name the file
        raise ModelLoadError(problem(path, expected, first_line(error))) from error
    network.to(torch_device, dtype=dtype)
    network.eval()
    for parameter in network.parameters():
        parameter.requires_grad_(False)
    if precision == 'int8':
        from ros2_prompt_tuning.quantization import quantize_linear_layers
        quantize_linear_layers(network)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return BaseModel(model=network, tokenizer=tokenizer, source=source)
