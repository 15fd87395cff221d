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
P-tuning as the c02 tutorial does it: virtual tokens produced by a Linear-Tanh-Linear encoder.

PEFT's own P-tuning encoder is a different network (Linear-ReLU-Linear-ReLU-Linear or an
LSTM), so the tutorial's encoder is written here and put in place of the embedding of a
PEFT prompt-tuning model. Its output does not depend on the request, so once trained it is
collapsed to the ``[num_virtual_tokens, hidden]`` embeddings it produces, and the saved
folder is a plain PEFT prompt-tuning adapter.
"""

from ros2_prompt_tuning.methods import prompt_tuning
import torch


class TutorialPromptEncoder(torch.nn.Module):
    """
    A trainable embedding passed through Linear-Tanh-Linear, as in the c02 tutorial.

    :param initial_prompt: ``[num_virtual_tokens, hidden]`` tensor that starts the embedding.
    """

    def __init__(self, initial_prompt):
        """Create the embedding from ``initial_prompt`` and a hidden-to-hidden encoder."""
        super().__init__()
        width = initial_prompt.shape[1]
        self.embedding = torch.nn.Embedding.from_pretrained(initial_prompt.clone(),
                                                            freeze=False)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.Tanh(),
                                       torch.nn.Linear(width, width))

    @property
    def weight(self):
        """Return the input embedding's weights; PEFT reads the prompt's device from them."""
        return self.embedding.weight

    def forward(self, indices):
        """Return the virtual-token embeddings for ``indices``."""
        return self.mlp(self.embedding(indices))


def build(config, base_model):
    """Return a PEFT prompt-tuning model whose virtual tokens come from the tutorial encoder."""
    peft_model = prompt_tuning.build(config, base_model)
    prompt = peft_model.prompt_encoder['default']
    prompt.embedding = TutorialPromptEncoder(prompt.embedding.weight.detach())
    return peft_model.to(base_model.model.get_input_embeddings().weight.device)


def finish(peft_model):
    """Replace the encoder by a plain embedding holding its output (constant at inference)."""
    prompt = peft_model.prompt_encoder['default']
    encoder = prompt.embedding
    with torch.no_grad():
        weights = encoder(torch.arange(encoder.embedding.num_embeddings,
                                       device=encoder.embedding.weight.device))
    prompt.embedding = torch.nn.Embedding.from_pretrained(weights, freeze=False)
