//! Prints the extraction of each file (or JSON Lines record) as one JSON line.
//! `cargo run -p diplograph-ingest --example extract -- FILE…`

// The allocator of the `diplograph` binary, so profiles of this example match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let extractor = diplograph_ingest::Extractor::new()?;
    for path in std::env::args().skip(1) {
        let input = std::fs::read_to_string(&path)?;
        for article in diplograph_ingest::parse_articles(&input) {
            let extraction = extractor.extract(&article?);
            println!("{}", serde_json::to_string(&extraction)?);
        }
    }
    Ok(())
}
