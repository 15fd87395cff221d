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


"""int8 weights for a frozen base model on CPU: dynamic quantisation of its linear layers."""

import warnings

import torch


class Int8Linear(torch.nn.Module):
    """
    A linear layer with int8 weights, quantised activations computed on the fly.

    The quantised layer is held outside the module tree: a partial ``load_state_dict`` (PEFT
    loading prompt weights onto the base model) then passes it by, where torch's own
    quantised modules demand their scale and weights. Frozen and CPU only, it has no
    parameters to train or move.

    :param quantized: a ``torch.ao.nn.quantized.dynamic.Linear``.
    :param weight: the float weight it was quantised from, shown as ``weight`` (for an output
        layer, whose ``[vocab, hidden]`` shape is read; with tied embeddings it is the input
        embeddings' own), or ``None``.
    """

    def __init__(self, quantized, weight=None):
        """Hold the quantised layer and, when given, the float weight it was made from."""
        super().__init__()
        self.in_features = quantized.in_features
        self.out_features = quantized.out_features
        self.__dict__['quantized'] = quantized
        if weight is not None:
            self.weight = weight

    def forward(self, hidden):
        """
        Return ``hidden`` through the int8 layer, in its float dtype.

        :raises RuntimeError: when ``hidden`` needs a gradient, which this layer would
            silently drop (train prompt weights on an fp32 or bf16 model).
        """
        if hidden.requires_grad:
            raise RuntimeError('an int8 layer passes no gradient back: train on a base model '
                               'loaded in fp32 or bf16')
        return self.quantized(hidden)

    def extra_repr(self):
        """Describe the layer as ``nn.Linear`` does, with its number format."""
        return f'in_features={self.in_features}, out_features={self.out_features}, int8'


def quantize_linear_layers(network):
    """
    Quantise every ``nn.Linear`` of ``network`` in place to int8 weights; return ``network``.

    :raises ValueError: when this torch has no dynamic quantisation.
    """
    output = network.get_output_embeddings()
    float_weights = {name: module.weight for name, module in network.named_modules()
                     if module is output}
    with warnings.catch_warnings():
        # torch 2.13 still ships eager dynamic quantisation while announcing its move to torchao.
        for message, category in (('torch.ao.quantization is deprecated', DeprecationWarning),
                                  ('`torch.jit.script_method` is deprecated', DeprecationWarning),
                                  ('torch.quantize_per_tensor', UserWarning)):
            warnings.filterwarnings('ignore', message, category)
        try:
            from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic
        except ImportError as error:
            raise ValueError('precision "int8" needs torch.ao.quantization.quantize_dynamic, '
                             f'which torch {torch.__version__} lacks') from error
        # One scale per output row: a single one for the whole vocabulary loses its rare rows.
        quantize_dynamic(network, {torch.nn.Linear: per_channel_dynamic_qconfig},
                         dtype=torch.qint8, inplace=True)
    quantized_type = torch.ao.nn.quantized.dynamic.Linear
    for name, module in list(network.named_modules()):
        if isinstance(module, quantized_type):
            parent, _, attribute = name.rpartition('.')
            setattr(network.get_submodule(parent), attribute,
                    Int8Linear(module, float_weights.get(name)))
    return network
