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

# Set the machine up, start prompt_tuning_node on the embedded model with the shipped
# prompt weights, send a few requests over /nl_command and print /generated_command.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC1091
source "$ROOT/scripts/setup.sh"

LOG="$ROOT/.colcon/demo_node.log"
"$ROOT/.colcon/install/ros2_prompt_tuning/lib/ros2_prompt_tuning/prompt_tuning_node" \
  >"$LOG" 2>&1 &
NODE_PID=$!
stop_node() {
  # SIGINT, as Ctrl-C would; a second one if the node is still up after 10 s (one SIGINT was
  # seen to go unanswered once), then SIGTERM.
  for signal in INT INT TERM; do
    kill -"$signal" "$NODE_PID" 2>/dev/null || break
    for _ in $(seq 10); do kill -0 "$NODE_PID" 2>/dev/null || break 2; sleep 1; done
  done
  wait "$NODE_PID" 2>/dev/null || true
}
trap stop_node EXIT
echo "prompt_tuning_node started (log: $LOG); waiting for the model to load..."

if [ "$#" -eq 0 ]; then
  set -- "turn left 90 degrees" "move forward 2 meters" \
    "spawn a turtle called leo at 3, 4" "clear the drawing" "make me a coffee"
fi
python "$ROOT/scripts/ask.py" "$@"
echo
echo "node log:"
stop_node
trap - EXIT
grep -E 'loaded|->' "$LOG" || true
