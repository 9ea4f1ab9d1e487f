#!/usr/bin/env bash
# Prokhorov et al. 2019's Table 1 / Figure 1 trends measured on the Penn Treebank (issue 16): β_C-VAEs as their three models (LSTM-LSTM, GRU-GRU, LSTM encoder with the gated CNN decoder) for C ∈ {3, 15, 100}, one sweep of nine runs,
# trained and evaluated two at a time (one BLAS thread each), then the Prokhorov report site.
#
# Usage: scripts/prokhorov2019.sh PTB_DIR EXPDIR [PAIRS_TSV]
#   PTB_DIR    a directory with ptb.{train,valid,test}.txt (Mikolov's split; not shipped with VAEScope)
#   EXPDIR     where the sweep file, the nine stores, their logs and the site go (outside the work tree)
#   PAIRS_TSV  optional syntactic-probe pairs (Marvin & Linzen, as `vaescope eval --probe` reads them)
# Run it again to continue: completed runs are skipped, interrupted ones resumed.
#
# Size (chosen so that one decoder's three runs train in about an hour of one core): E 128, H 256 (the CNN: 256
# channels, 64 inside, width 20), Z 64, V 10k, 5 epochs. As their code: the KL-target objective rec + |KL − C|
# (β = 1), C raised linearly over the first 2 epochs (their n_epoch_to_kl_one = 2; 42,068 sentences / 128 = 329
# batches per epoch), Adam with learning rate 0.00075, batches of 128, z concatenated to every decoder input, no
# KL annealing, no dropout. Evaluation: test split, best checkpoint, IW-NLL with K = 50 (their Table 1 has no
# NLL; K = 500 would take ~30 min per run), S = 5 latent samples, the five default decoding schemes. Table 3's
# forward cross-entropy is left out here (their experiment_table_3.py makes it for the LSTM model only, and with
# `--fce prokhorov` it trains 15 language models per run, ~20 min): add it afterwards for the LSTM runs with
#   EXPDIR/bin/vaescope eval lstm-C15 --db EXPDIR/runs/lstm-C15.sqlite --iw-samples 50 --fce prokhorov
set -euo pipefail
ptb=${1:?usage: scripts/prokhorov2019.sh PTB_DIR EXPDIR [PAIRS_TSV]}
exp=${2:?usage: scripts/prokhorov2019.sh PTB_DIR EXPDIR [PAIRS_TSV]}
pairs=${3:-}
[ -f "$ptb/ptb.train.txt" ] || [ -f "$ptb/train.txt" ] || { echo "no ptb.train.txt or train.txt in $ptb" >&2; exit 1; }
cd "$(dirname "$0")/.."
set --   # setup.sh reads the caller's arguments as its options: none here
source scripts/setup.sh
source scripts/experiment_bin.sh
experiment_bin "$exp"
ptb=$(cd "$ptb" && pwd)
probe=()
if [ -n "$pairs" ]; then probe=(--probe "$(cd "$(dirname "$pairs")" && pwd)/$(basename "$pairs")"); fi
{
  echo "# Written by scripts/prokhorov2019.sh ($(git rev-parse --short HEAD)); see that script for the choices."
  echo "name: prokhorov2019-ptb"
  echo "corpus: $ptb"
  echo "stores: runs"
  echo "base: {objective: klTarget, beta: 1, betaSchedule: constant, klTargetWarmupSteps: 658, embeddingSize: 128,"
  echo "       encoderHiddenSize: 256, decoderHiddenSize: 256, latentSize: 64, vocabularySize: 10000, batchSize: 128,"
  echo "       optimizer: adam, learningRate: 0.00075, epochs: 5, latentAtEveryStep: true, threads: 1}"
  echo "runs:   # their three models: LSTM-LSTM, GRU-GRU, LSTM-CONV"
  echo "  - {name: lstm, set: {encoderCell: lstm, decoderCell: lstm}}"
  echo "  - {name: gru, set: {encoderCell: gru, decoderCell: gru}}"
  echo "  - {name: cnn, set: {encoderCell: lstm, decoderCell: cnn, convolutionWidth: 20}}"
  echo "axes:"
  echo "  klTarget: [3, 15, 100]"
  echo 'runName: "C{klTarget}"'
  printf 'eval: [--iw-samples, "50"'
  for a in "${probe[@]}"; do printf ', "%s"' "$a"; done
  echo "]"
} > "$exp/prokhorov2019-ptb.yaml"
"$bin" sweep plan "$exp/prokhorov2019-ptb.yaml"
nice -n 10 "$bin" sweep run "$exp/prokhorov2019-ptb.yaml" --jobs 2 --quiet
"$bin" sweep status "$exp/prokhorov2019-ptb.yaml"
"$bin" report --db "$exp/runs/*.sqlite" --spec Reports/prokhorov2019.yaml --out "$exp/site"
echo "site: $exp/site/index.html (reports/prokhorov2019.html: Table 1, Figure 1, the trends per decoder)"
