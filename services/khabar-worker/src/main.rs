use clap::{Parser, Subcommand};

/// Khabar's batch worker.
#[derive(Debug, Parser)]
#[command(name = "khabar-worker", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Train the named-entity sequence labeller from CoNLL/TSV files and write a model file.
    TrainNer(khabar_worker::train_ner::TrainNerArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::TrainNer(a) => khabar_worker::train_ner::run(&a),
    }
}
