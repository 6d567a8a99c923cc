use clap::Parser;
use validera::config::Cli;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let code = validera::cli::run(Cli::parse()).await?;
    std::process::exit(code);
}
