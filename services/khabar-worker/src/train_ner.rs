//! `khabar-worker train-ner`: trains the sequence labeller from CoNLL/TSV files (to be written).
use std::path::PathBuf;

/// Options of `train-ner`.
#[derive(Debug, Clone, clap::Args)]
pub struct TrainNerArgs {
    /// Training files or folders (CoNLL/TSV: token TAB tag, blank line between sentences).
    #[arg(required = true)]
    pub train: Vec<PathBuf>,
}

/// Runs `train-ner`.
pub fn run(_args: &TrainNerArgs) -> anyhow::Result<()> {
    anyhow::bail!("train-ner is not implemented yet")
}
