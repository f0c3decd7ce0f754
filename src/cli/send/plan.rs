//! Which books go in which message: one a message, or (`--batch`) as many as the limits of a
//! message allow. Kindle's "Send to Kindle" takes at most 25 attachments and 50 MB a message;
//! a book larger than a whole message cannot be sent at all.

/// What one message may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_attachments: usize,
    /// The books' bytes together (the files' sizes, as Kindle counts them).
    pub max_bytes: u64,
}

/// Kindle's limits: 25 attachments, and the 50 MB a book may be, which the Kindle check and
/// the volume split use too (decimal megabytes, the smaller reading).
pub const KINDLE: Limits = Limits {
    max_attachments: 25,
    max_bytes: quire::check::KINDLE_MAX_BYTES,
};

/// The messages to send, each a list of indexes into the books (in the order given), and the
/// books too large for any message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub messages: Vec<Vec<usize>>,
    pub too_large: Vec<usize>,
}

/// Plans the messages for books of these sizes. Alone, each book that fits is a message of
/// its own; in a batch, each goes into the first message with room for it (first fit keeps
/// the books of a message in their order and needs few messages).
pub fn plan(sizes: &[u64], batch: bool, limits: Limits) -> Plan {
    let mut plan = Plan::default();
    let mut used: Vec<u64> = Vec::new();
    for (index, &size) in sizes.iter().enumerate() {
        if size > limits.max_bytes {
            plan.too_large.push(index);
            continue;
        }
        let room = batch
            .then(|| {
                plan.messages.iter().zip(&used).position(|(books, &bytes)| {
                    books.len() < limits.max_attachments && bytes + size <= limits.max_bytes
                })
            })
            .flatten();
        match room {
            Some(message) => {
                plan.messages[message].push(index);
                used[message] += size;
            }
            None => {
                plan.messages.push(vec![index]);
                used.push(size);
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_book_a_message_without_batch() {
        let plan = plan(&[10, 20, 30], false, KINDLE);
        assert_eq!(plan.messages, [vec![0], vec![1], vec![2]]);
        assert!(plan.too_large.is_empty());
    }

    #[test]
    fn a_batch_holds_at_most_25_books() {
        let plan = plan(&[1; 60], true, KINDLE);
        let counts: Vec<usize> = plan.messages.iter().map(Vec::len).collect();
        assert_eq!(counts, [25, 25, 10]);
        let all: Vec<usize> = plan.messages.concat();
        assert_eq!(
            all,
            (0..60).collect::<Vec<_>>(),
            "every book once, in order"
        );
    }

    #[test]
    fn a_batch_splits_at_the_size_limit() {
        let limits = Limits {
            max_attachments: 25,
            max_bytes: 100,
        };
        // 60 + 30 fit; 50 does not join them; 10 fills the first message to 100.
        let plan = plan(&[60, 30, 50, 10, 45], true, limits);
        assert_eq!(plan.messages, [vec![0, 1, 3], vec![2, 4]]);
        let sizes = [60u64, 30, 50, 10, 45];
        for message in &plan.messages {
            let bytes: u64 = message.iter().map(|&i| sizes[i]).sum();
            assert!(bytes <= limits.max_bytes, "{message:?} holds {bytes} bytes");
        }
    }

    #[test]
    fn a_book_exactly_at_the_limit_is_sent_alone() {
        let limits = Limits {
            max_attachments: 25,
            max_bytes: 100,
        };
        let plan = plan(&[100, 1], true, limits);
        assert_eq!(plan.messages, [vec![0], vec![1]]);
    }

    #[test]
    fn a_book_over_the_limit_is_set_aside_and_the_others_planned() {
        let limits = Limits {
            max_attachments: 2,
            max_bytes: 100,
        };
        let plan = plan(&[101, 40, 40, 40], true, limits);
        assert_eq!(plan.too_large, [0]);
        assert_eq!(plan.messages, [vec![1, 2], vec![3]]);
        let alone = super::plan(&[101, 40], false, limits);
        assert_eq!(alone.too_large, [0]);
        assert_eq!(alone.messages, [vec![1]]);
    }

    #[test]
    fn no_books_no_messages() {
        assert_eq!(plan(&[], true, KINDLE), Plan::default());
    }
}
