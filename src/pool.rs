//! One worker pool for everything quire does in parallel: a batch of files, the `--jsonl`
//! pipeline, and (later) the images of a document.
//!
//! A [`Pool`] runs one function over the items of an iterator on a few scoped threads and
//! hands each result to a callback on the calling thread, either in the order the items came
//! ([`Delivery::InputOrder`]) or as each finishes ([`Delivery::AsFinished`]). It promises:
//!
//! - **Bounded memory.** At most [`Pool::window`] items are between being taken from the
//!   iterator and being delivered, so a stream of a million lines never sits in memory.
//!   The iterator is pulled on a thread of its own, so it may block (on standard input).
//! - **No lost work.** A job that panics is delivered as [`Panicked`]; the other jobs go on
//!   and the pool neither hangs nor unwinds.
//! - **A clean stop.** Once the stop flag ([`Pool::stop_when`]) is set, no item is taken from
//!   the iterator and no job is started; jobs under way finish and are delivered.
//!
//! Workers get the stack size asked for ([`Pool::stack_size`]): readers and writers may recurse
//! down to the model's depth limit, and a batch must not overflow where one conversion does not.

use std::collections::BTreeMap;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};
use std::thread;

/// In which order a [`Pool`] hands results to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// In the order the iterator gave the items: a result waits for those before it.
    InputOrder,
    /// As soon as each job finishes.
    AsFinished,
}

/// A job that panicked (a bug): what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    /// The panic's message, empty when it carried no text.
    pub message: String,
}

/// Runs `f`, turning a panic into [`Panicked`] with its message.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panicked> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| Panicked {
        message: payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default(),
    })
}

/// A fixed number of worker threads over one iterator of items (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Pool<'a> {
    threads: usize,
    stack_size: Option<usize>,
    name: &'static str,
    stop: Option<&'a AtomicBool>,
    window: Option<usize>,
    delivery: Delivery,
}

impl<'a> Pool<'a> {
    /// A pool of `threads` workers (at least one), delivering as jobs finish, with the
    /// platform's default stack and no stop flag.
    pub fn new(threads: usize) -> Pool<'a> {
        Pool {
            threads: threads.max(1),
            stack_size: None,
            name: "quire-worker",
            stop: None,
            window: None,
            delivery: Delivery::AsFinished,
        }
    }

    /// Each worker's stack, in bytes.
    pub fn stack_size(self, bytes: usize) -> Pool<'a> {
        Pool {
            stack_size: Some(bytes),
            ..self
        }
    }

    /// The workers' thread name, as panic messages and debuggers show it.
    pub fn name(self, name: &'static str) -> Pool<'a> {
        Pool { name, ..self }
    }

    /// Stops taking and starting items once `flag` is set.
    pub fn stop_when(self, flag: &'a AtomicBool) -> Pool<'a> {
        Pool {
            stop: Some(flag),
            ..self
        }
    }

    /// The most items between being taken from the iterator and being delivered (at least
    /// one); four per worker unless set.
    pub fn window(self, items: usize) -> Pool<'a> {
        Pool {
            window: Some(items.max(1)),
            ..self
        }
    }

    /// The order results are delivered in.
    pub fn delivery(self, delivery: Delivery) -> Pool<'a> {
        Pool { delivery, ..self }
    }

    /// Runs `work` on every item of `items` (until the stop flag is set) and calls `deliver`
    /// on the calling thread with each item's position in `items` and its result. Returns
    /// once every job taken is delivered. Fails only when no worker thread, or not the thread
    /// pulling `items`, can be started; when some workers can, the pool runs with those.
    pub fn run<T, R, I>(
        &self,
        items: I,
        work: impl Fn(T) -> R + Sync,
        mut deliver: impl FnMut(usize, Result<R, Panicked>),
    ) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send,
        T: Send,
        R: Send,
    {
        let mut items = items.into_iter();
        let threads = match items.size_hint().1 {
            Some(0) => return Ok(()),
            Some(1) => return self.run_one(items.next(), work, deliver),
            Some(count) => self.threads.min(count),
            None => self.threads,
        };
        let window = self.window.unwrap_or(threads.saturating_mul(4)).max(1);
        if threads == 1 && window >= 3 {
            return self.run_serial(items, work, deliver, window);
        }
        // The workers share the receiving end; the sending end belongs to the thread pulling
        // `items`, so it closes when that thread ends, however it ends.
        let (work_sender, work_receiver) = mpsc::sync_channel::<(usize, T)>(window);
        let work_receiver = Mutex::new(work_receiver);
        thread::scope(|scope| {
            // The other channels live inside the scope: whatever ends early drops its end, and
            // the threads waiting on the other end stop instead of waiting forever.
            let (done_sender, done_receiver) =
                mpsc::channel::<(usize, Option<Result<R, Panicked>>)>();
            let (ticket_sender, ticket_receiver) = mpsc::sync_channel::<()>(window);
            for _ in 0..window {
                let _ = ticket_sender.try_send(());
            }

            let mut started = 0;
            let mut spawn_error = None;
            for _ in 0..threads {
                let done_sender = done_sender.clone();
                let work_receiver = &work_receiver;
                let work = &work;
                let worker = move || loop {
                    let next = work_receiver
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .recv();
                    let Ok((index, item)) = next else {
                        return;
                    };
                    // A job not started after the stop is still accounted for (as `None`),
                    // so that an in-order delivery does not wait for it.
                    let result = (!self.stopped()).then(|| catch(|| work(item)));
                    let message = (index, result);
                    if done_sender.send(message).is_err() {
                        return;
                    }
                };
                match self.worker_builder().spawn_scoped(scope, worker) {
                    Ok(_) => started += 1,
                    Err(e) => {
                        spawn_error = Some(e);
                        break;
                    }
                }
            }
            drop(done_sender);
            if started == 0 {
                return Err(spawn_error.unwrap_or_else(|| io::Error::other("no worker")));
            }

            let feeder = move || {
                let mut items = items.enumerate();
                while ticket_receiver.recv().is_ok() && !self.stopped() {
                    let Some(item) = items.next() else {
                        return;
                    };
                    if work_sender.send(item).is_err() {
                        return;
                    }
                }
            };
            // When this thread cannot start, its closure is dropped with the sending end, so
            // the workers find the queue closed and end.
            thread::Builder::new()
                .name(format!("{}-feeder", self.name))
                .spawn_scoped(scope, feeder)?;

            let mut held: BTreeMap<usize, Option<Result<R, Panicked>>> = BTreeMap::new();
            let mut next = 0;
            for (index, result) in done_receiver {
                match self.delivery {
                    Delivery::AsFinished => {
                        if let Some(result) = result {
                            deliver(index, result);
                        }
                        let _ = ticket_sender.try_send(());
                    }
                    Delivery::InputOrder => {
                        held.insert(index, result);
                        while let Some(result) = held.remove(&next) {
                            next += 1;
                            if let Some(result) = result {
                                deliver(next - 1, result);
                            }
                            let _ = ticket_sender.try_send(());
                        }
                    }
                }
            }
            Ok(())
        })
    }

    /// [`Pool::run`] on one worker: it pulls the items itself and runs them in order, so no
    /// thread pulls for it and no ticket passes between threads; only its results cross. A
    /// batch on one thread (`--jobs 1`) then costs one wake-up of the calling thread per item
    /// instead of three. The window (at least 3) holds the item being delivered, the one
    /// under way, the one handed over as the caller wakes, and the results waiting between.
    fn run_serial<T, R, I>(
        &self,
        items: I,
        work: impl Fn(T) -> R + Sync,
        mut deliver: impl FnMut(usize, Result<R, Panicked>),
        window: usize,
    ) -> io::Result<()>
    where
        I: Iterator<Item = T> + Send,
        T: Send,
        R: Send,
    {
        let (done_sender, done_receiver) =
            mpsc::sync_channel::<(usize, Result<R, Panicked>)>(window - 3);
        thread::scope(|scope| {
            let work = &work;
            let worker = move || {
                for (index, item) in items.enumerate() {
                    if done_sender.send((index, catch(|| work(item)))).is_err() || self.stopped() {
                        return;
                    }
                }
            };
            // Checked before the first item is taken; the worker checks after each one.
            if self.stopped() {
                return Ok(());
            }
            self.worker_builder().spawn_scoped(scope, worker)?;
            for (index, result) in done_receiver {
                deliver(index, result);
            }
            Ok(())
        })
    }

    /// Whether the caller's stop flag (see [`Pool::stop_when`]) is set.
    fn stopped(&self) -> bool {
        self.stop.is_some_and(|flag| flag.load(Ordering::SeqCst))
    }

    /// A worker thread's builder: the pool's thread name and stack size.
    fn worker_builder(&self) -> thread::Builder {
        let builder = thread::Builder::new().name(self.name.to_string());
        match self.stack_size {
            Some(bytes) => builder.stack_size(bytes),
            None => builder,
        }
    }

    /// [`Pool::run`] for an iterator that holds at most one item: one worker and no feeder
    /// thread or channels. A single conversion is mostly process start-up, and every thread
    /// started costs it a stack, an allocator arena and a cache.
    fn run_one<T, R>(
        &self,
        item: Option<T>,
        work: impl Fn(T) -> R + Sync,
        mut deliver: impl FnMut(usize, Result<R, Panicked>),
    ) -> io::Result<()>
    where
        T: Send,
        R: Send,
    {
        let stopped = self.stopped();
        let Some(item) = item.filter(|_| !stopped) else {
            return Ok(());
        };
        let builder = self.worker_builder();
        let work = &work;
        let result = thread::scope(|scope| {
            builder
                .spawn_scoped(scope, move || catch(|| work(item)))
                .map(|worker| {
                    // `catch` holds the job's panics; a join error has nothing more to say.
                    worker.join().unwrap_or_else(|_| {
                        Err(Panicked {
                            message: String::new(),
                        })
                    })
                })
        })?;
        deliver(0, result);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    /// Later items finish first: each sleeps less than the one before it.
    fn slower_first(n: usize) -> impl Fn(usize) -> usize + Sync {
        move |i| {
            thread::sleep(Duration::from_millis(((n - i) % 7) as u64));
            i * 10
        }
    }

    #[test]
    fn input_order_delivers_every_item_in_order_however_they_finish() {
        // One worker takes the serial path, more the pool's.
        for threads in [1, 4] {
            let mut seen = Vec::new();
            Pool::new(threads)
                .delivery(Delivery::InputOrder)
                .run(0..40, slower_first(40), |index, result| {
                    seen.push((index, result.unwrap()))
                })
                .unwrap();
            let expected: Vec<(usize, usize)> = (0..40).map(|i| (i, i * 10)).collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn as_finished_delivers_every_item_once() {
        let mut seen = Vec::new();
        Pool::new(3)
            .run(
                (0..500).map(|i| i + 1000),
                |item| item * 2,
                |index, result| seen.push((index, result.unwrap())),
            )
            .unwrap();
        seen.sort_unstable();
        let expected: Vec<(usize, usize)> = (0..500).map(|i| (i, (i + 1000) * 2)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_panicking_job_is_reported_and_the_others_still_delivered() {
        for (delivery, threads) in [
            (Delivery::InputOrder, 2),
            (Delivery::AsFinished, 2),
            (Delivery::InputOrder, 1),
        ] {
            let mut ok = Vec::new();
            let mut panicked = Vec::new();
            Pool::new(threads)
                .delivery(delivery)
                .run(
                    0..20,
                    |i| {
                        if i == 7 {
                            panic!("boom at {i}");
                        }
                        i
                    },
                    |index, result| match result {
                        Ok(value) => ok.push((index, value)),
                        Err(e) => panicked.push((index, e.message)),
                    },
                )
                .unwrap();
            ok.sort_unstable();
            let expected: Vec<(usize, usize)> =
                (0..20).filter(|&i| i != 7).map(|i| (i, i)).collect();
            assert_eq!(ok, expected, "{delivery:?}");
            assert_eq!(panicked, [(7, "boom at 7".to_string())], "{delivery:?}");
        }
    }

    #[test]
    fn the_stop_flag_ends_the_run_after_the_jobs_under_way() {
        for (delivery, threads) in [
            (Delivery::InputOrder, 2),
            (Delivery::AsFinished, 2),
            (Delivery::InputOrder, 1),
        ] {
            let stop = AtomicBool::new(false);
            let pulled = AtomicUsize::new(0);
            let mut delivered = 0;
            let items = (0..).inspect(|_| {
                pulled.fetch_add(1, Ordering::SeqCst);
            });
            // An endless iterator: only the flag can end this run.
            Pool::new(threads)
                .window(3)
                .stop_when(&stop)
                .delivery(delivery)
                .run(
                    items,
                    |i: usize| i,
                    |_, _| {
                        delivered += 1;
                        if delivered == 5 {
                            stop.store(true, Ordering::SeqCst);
                        }
                    },
                )
                .unwrap();
            // After the flag, at most the window's items (taken before it) are delivered.
            assert!((5..=8).contains(&delivered), "{delivery:?}: {delivered}");
            assert!(pulled.load(Ordering::SeqCst) <= 8, "{delivery:?}");
        }
    }

    #[test]
    fn no_more_than_the_window_is_taken_ahead_of_delivery() {
        for (delivery, threads, window) in [
            (Delivery::InputOrder, 4, 5),
            (Delivery::AsFinished, 4, 5),
            (Delivery::InputOrder, 1, 5),
            (Delivery::InputOrder, 1, 3),
            (Delivery::InputOrder, 1, 2),
            (Delivery::InputOrder, 1, 1),
        ] {
            let pulled = AtomicUsize::new(0);
            let mut delivered = 0;
            let mut most_ahead = 0;
            let items = (0..200).inspect(|_| {
                pulled.fetch_add(1, Ordering::SeqCst);
            });
            Pool::new(threads)
                .window(window)
                .delivery(delivery)
                .run(items, slower_first(200), |index, _| {
                    most_ahead = most_ahead.max(pulled.load(Ordering::SeqCst) - delivered);
                    delivered += 1;
                    // A slow delivery now and then: the workers run ahead as far as they may.
                    if index % 25 == 0 {
                        thread::sleep(Duration::from_millis(60));
                    }
                })
                .unwrap();
            assert_eq!(delivered, 200);
            assert!(
                most_ahead <= window,
                "{delivery:?}, {threads} threads, window {window}: {most_ahead} items ahead"
            );
        }
    }

    #[test]
    fn workers_get_the_stack_asked_for() {
        // About 8 MB of frames: more than a spawned thread's default 2 MB.
        fn deep(levels: usize) -> usize {
            let frame = std::hint::black_box([1u8; 1024]);
            match levels {
                0 => usize::from(frame[0]),
                _ => deep(levels - 1) + usize::from(frame[levels % 1024]),
            }
        }
        // One item takes the one-worker path; two, the pool, or on one thread the serial path.
        for (items, threads) in [
            (vec![8000usize], 2),
            (vec![8000, 8000], 2),
            (vec![8000, 8000], 1),
        ] {
            let mut total = 0;
            Pool::new(threads)
                .stack_size(64 * 1024 * 1024)
                .run(items.clone(), deep, |_, result| total += result.unwrap())
                .unwrap();
            assert_eq!(total, 8001 * items.len());
        }
    }

    #[test]
    fn one_item_is_delivered_its_panic_reported_and_the_stop_flag_kept() {
        let mut seen = Vec::new();
        Pool::new(4)
            .run(
                Some(21),
                |i: usize| i * 2,
                |index, result| seen.push((index, result)),
            )
            .unwrap();
        assert_eq!(seen, [(0, Ok(42))]);

        let mut seen = Vec::new();
        Pool::new(4)
            .run(
                ["boom"],
                |m: &str| -> usize { panic!("{m}") },
                |index, result| seen.push((index, result)),
            )
            .unwrap();
        let message = "boom".to_string();
        assert_eq!(seen, [(0, Err(Panicked { message }))]);

        let stop = AtomicBool::new(true);
        let mut calls = 0;
        Pool::new(4)
            .stop_when(&stop)
            .run([1], |i: usize| i, |_, _| calls += 1)
            .unwrap();
        assert_eq!(calls, 0);
    }

    #[test]
    fn no_items_means_no_deliveries() {
        let mut calls = 0;
        Pool::new(4)
            .run(std::iter::empty::<u8>(), |i| i, |_, _| calls += 1)
            .unwrap();
        assert_eq!(calls, 0);
    }
}
