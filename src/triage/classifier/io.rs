//! The classifier's binary format: versioned, little-endian, identical bytes for identical
//! models, read back with bounds checks (a truncated or padded file is an error, not a panic).
use super::Classifier;

const MAGIC: &[u8; 8] = b"IOCTRI01";

impl Classifier {
    /// Serialises the model: a versioned little-endian binary format, identical for identical
    /// models.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.weights.len() * 8 + self.features.len() * 12);
        out.extend_from_slice(MAGIC);
        let put_str = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        out.extend_from_slice(&(self.categories.len() as u32).to_le_bytes());
        for c in &self.categories {
            put_str(&mut out, c);
        }
        out.extend_from_slice(&(self.features.len() as u32).to_le_bytes());
        for f in &self.features {
            put_str(&mut out, f);
        }
        out.extend_from_slice(&self.temperature.to_le_bytes());
        for b in &self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// Reads a model written by [`Classifier::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Classifier, String> {
        let mut r = Reader { b, pos: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("not a triage model (bad magic)".to_string());
        }
        let k = r.u32()? as usize;
        let categories = (0..k).map(|_| r.string()).collect::<Result<Vec<_>, _>>()?;
        let v = r.u32()? as usize;
        if v > b.len() {
            return Err("feature count larger than the file".to_string());
        }
        let features = (0..v).map(|_| r.string()).collect::<Result<Vec<_>, _>>()?;
        let temperature = r.f64()?;
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err("bad temperature".to_string());
        }
        let bias = (0..k).map(|_| r.f64()).collect::<Result<Vec<_>, _>>()?;
        let n = v
            .checked_mul(k)
            .filter(|n| n.saturating_mul(8) <= b.len())
            .ok_or("weight count larger than the file")?;
        let weights = (0..n).map(|_| r.f64()).collect::<Result<Vec<_>, _>>()?;
        if r.pos != b.len() {
            return Err("trailing bytes after the model".to_string());
        }
        let mut c = Classifier {
            categories,
            features,
            weights,
            bias,
            temperature,
            unigrams: Default::default(),
            short: Default::default(),
            bigrams: Default::default(),
            char_grams: false,
        };
        c.build_index();
        Ok(c)
    }
}

/// A bounds-checked cursor over a byte slice.
struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len());
        let end = end.ok_or_else(|| format!("truncated model at byte {}", self.pos))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|e| e.to_string())
    }
}
