import GongguCore
