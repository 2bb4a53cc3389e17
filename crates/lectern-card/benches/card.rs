//! The cost of a quote card (issue 27): `cargo bench -p lectern-card --bench card` prints, for every quote of
//! the bundled seed, the median time to lay out, paint and encode its card, the heap it takes
//! at its peak (a counting allocator), and, as the baseline measured in the same run, what
//! every `/quote` already costs: drawing the quote's reply and writing it as the JSON sent to
//! Discord. `LECTERN_BENCH_ROUNDS` (default 20) sets the rounds per quote.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lectern_card::Renderer;
use lectern_core::i18n::Lang;
use lectern_core::library::{Library, LoadOptions, QuoteScope};
use lectern_core::reply::{self, Card};

/// The system allocator, counting the bytes live now and at their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(rounds: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..rounds)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let rounds: usize = std::env::var("LECTERN_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    let lib = Library::load(&seeds, &LoadOptions::default()).library;
    let renderer = Renderer::bundled();
    let quotes: Vec<_> = lib.quote_refs().collect();
    let cards: Vec<Card> = quotes.iter().filter_map(|&q| Card::of(&lib, q)).collect();
    let (mut baseline, mut layout, mut paint, mut whole) = (vec![], vec![], vec![], vec![]);
    let (mut peak, mut png_bytes) = (0, vec![]);
    for (&q, card) in quotes.iter().zip(&cards) {
        baseline.push(time(rounds, || {
            let r = reply::quote(&lib, q, QuoteScope::Talk(q.talk), Lang::Zh);
            black_box(serde_json::to_vec(&r).unwrap());
        }));
        layout.push(time(rounds, || {
            black_box(renderer.layout(card));
        }));
        paint.push(time(rounds, || {
            black_box(renderer.render_pixmap(card));
        }));
        whole.push(time(rounds, || {
            black_box(renderer.render(card).unwrap());
        }));
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let png = renderer.render(card).unwrap();
        peak = peak.max(PEAK.load(Ordering::Relaxed) - before);
        png_bytes.push(png.len());
    }
    let (b, l, p, w) = (
        median(baseline),
        median(layout),
        median(paint),
        median(whole),
    );
    png_bytes.sort_unstable();
    println!(
        "card bench: {} quotes of the seed, {rounds} rounds each, medians",
        cards.len()
    );
    println!("| measure | median |");
    println!("|---|---:|");
    println!(
        "| baseline: the quote's reply, built and written as JSON | {:.3} ms |",
        ms(b)
    );
    println!("| card layout (clean, break, fit) | {:.3} ms |", ms(l));
    println!("| card layout + paint (pixmap) | {:.3} ms |", ms(p));
    println!(
        "| card whole (layout, paint, PNG) | {:.3} ms = {:.0}× the baseline |",
        ms(w),
        w.as_secs_f64() / b.as_secs_f64()
    );
    println!(
        "| peak heap of one card, largest over the quotes | {:.2} MB |",
        peak as f64 / 1e6
    );
    println!(
        "| PNG size, min / median / max | {:.0} / {:.0} / {:.0} KB |",
        png_bytes[0] as f64 / 1e3,
        png_bytes[png_bytes.len() / 2] as f64 / 1e3,
        png_bytes[png_bytes.len() - 1] as f64 / 1e3
    );
}
