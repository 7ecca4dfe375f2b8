//! Bytes of keys and values per table of a store (no server may hold it), against its size on
//! disk: where the space goes.
//!
//! Run: `cargo run --release -p khabar-store --example store_sizes -- DIR`

use std::collections::BTreeMap;

use khabar_store::kv::{Kv, SledKv};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: store_sizes DIR")?;
    let kv = SledKv::open(std::path::Path::new(&dir))?;
    let mut tables: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    let mut from: Vec<u8> = Vec::new();
    let mut exclusive = false;
    loop {
        let page = kv.scan(&from, exclusive, &[0xff; 8], 10_000)?;
        let Some((last, _)) = page.last() else { break };
        from = last.clone();
        exclusive = true;
        for (k, v) in &page {
            let table = k.iter().position(|b| *b == b'/').map_or(String::from_utf8_lossy(k).to_string(), |i| String::from_utf8_lossy(&k[..=i]).to_string());
            let e = tables.entry(table).or_default();
            e.0 += 1;
            e.1 += k.len() as u64;
            e.2 += v.len() as u64;
        }
    }
    let (mut n, mut kb, mut vb) = (0, 0, 0);
    println!("{:<8} {:>10} {:>12} {:>12}", "table", "keys", "key bytes", "value bytes");
    for (t, (c, k, v)) in &tables {
        println!("{t:<8} {c:>10} {k:>12} {v:>12}");
        n += c;
        kb += k;
        vb += v;
    }
    println!("{:<8} {n:>10} {kb:>12} {vb:>12}", "total");
    println!("size on disk (sled): {}", kv.size_on_disk());
    Ok(())
}
