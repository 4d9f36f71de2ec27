//! One table per enum for the names a value goes by: its wire name (JSON,
//! saved files, bank files, the command line) and its label for people.
//!
//! Writing the two names apart (a serde rename here, an `as_str` there) let
//! them drift: `"time up"` in one JSON output and `"timeout"` in another,
//! `read-replicas` where problem files say `read-replica`. `wire_enum!`
//! declares the enum with both names side by side, and derives serde, the
//! list of variants and the lookups from that one table.

/// Declares an enum with a wire name and a label per variant:
///
/// ```ignore
/// wire_enum! {
///     /// How a session ended.
///     #[derive(PartialOrd, Ord)]
///     pub enum Status {
///         Completed = "completed", "completed";
///         Timeout = "timeout", "time up";
///     }
/// }
/// ```
///
/// The enum is `Clone, Copy, PartialEq, Eq, Hash, Debug`, serializes as its
/// wire name, and deserializes from it with an error that lists the names.
/// It gets `ALL` (in declaration order), `WIRE` (the wire names),
/// `as_str()`, `label()` and `from_wire()`. `Display` is left to each enum.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        #[allow(dead_code)]
        impl $name {
            /// Every variant, in declaration order.
            $vis const ALL: [$name; [$($wire),+].len()] = [$($name::$variant),+];
            /// Every wire name, in declaration order.
            $vis const WIRE: &'static [&'static str] = &[$($wire),+];

            /// The wire name: JSON, saved files, bank files, flags.
            $vis fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// The name a person reads.
            $vis fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The variant with this wire name.
            $vis fn from_wire(name: &str) -> Option<$name> {
                match name {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Named;
                impl serde::de::Visitor<'_> for Named {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "one of {}", $name::WIRE.join(", "))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::from_wire(v).ok_or_else(|| E::unknown_variant(v, $name::WIRE))
                    }
                }
                d.deserialize_str(Named)
            }
        }
    };
}

pub(crate) use wire_enum;

#[cfg(test)]
mod tests {
    wire_enum! {
        /// A test enum.
        #[derive(PartialOrd, Ord)]
        enum Weather {
            Sunny = "sunny", "Sunny";
            /// Wet.
            LightRain = "light-rain", "light rain";
        }
    }

    #[test]
    fn the_wire_name_round_trips_and_the_label_is_apart() {
        let json = serde_json::to_string(&Weather::LightRain).unwrap();
        assert_eq!(json, "\"light-rain\"");
        let back: Weather = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Weather::LightRain);
        assert_eq!(Weather::LightRain.label(), "light rain");
        assert_eq!(Weather::ALL, [Weather::Sunny, Weather::LightRain]);
        assert!(Weather::Sunny < Weather::LightRain);
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let err = serde_json::from_str::<Weather>("\"snow\"").unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown variant `snow`, expected `sunny` or `light-rain`"),
            "{err}"
        );
    }
}
