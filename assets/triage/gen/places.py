"""Places of Huế used by gen_corpus.py: streets, wards (old and new names), landmarks."""

STREETS = [
    "Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Huệ", "Hà Nội", "Lý Thường Kiệt", "Nguyễn Trãi",
    "Lê Duẩn", "Đinh Tiên Hoàng", "Mai Thúc Loan", "Chi Lăng", "Bạch Đằng", "Phan Đình Phùng",
    "Điện Biên Phủ", "Nguyễn Sinh Cung", "Trần Phú", "Bà Triệu", "Tố Hữu", "Hoàng Quốc Việt",
    "Nguyễn Tri Phương", "Võ Thị Sáu", "Phạm Ngũ Lão", "Chu Văn An", "Đội Cung", "Ngô Quyền",
    "Lê Quý Đôn", "Nguyễn Lộ Trạch", "Phan Bội Châu", "Trường Chinh", "Ngự Bình", "Nguyễn Văn Linh",
    "Dương Văn An", "Phạm Văn Đồng", "Tùng Thiện Vương", "Huyền Trân Công Chúa", "Bùi Thị Xuân",
    "Kim Long", "Nguyễn Phúc Nguyên", "Lê Ngô Cát", "Minh Mạng", "Tôn Đức Thắng", "Tăng Bạt Hổ",
    "Nhật Lệ", "Đoàn Thị Điểm", "Thạch Hãn", "Lê Thánh Tôn", "Ông Ích Khiêm", "Trần Quang Khải",
    "Hai Bà Trưng", "Lê Huân", "Nguyễn Chí Thanh", "Huỳnh Thúc Kháng", "Nguyễn Du", "Xuân 68",
    "An Dương Vương", "Hồ Đắc Di", "Nguyễn Khoa Chiêm", "Trần Thúc Nhẫn", "3 Tháng 2", "Hàn Thuyên",
    "Yết Kiêu", "Đặng Thái Thân", "Nguyễn Hoàng", "Lý Nam Đế", "Hồ Xuân Hương", "Dương Thiệu Tước",
    "Nguyễn Lương Bằng", "Võ Văn Kiệt", "Tự Đức", "Thiên Thai", "Trịnh Công Sơn", "Ngô Đức Kế",
    "Hoàng Hoa Thám", "Đống Đa", "Phan Chu Trinh", "Lê Hồng Phong", "Nguyễn Thái Học", "Trương Định",
    "Nguyễn Đình Chiểu", "Lê Minh", "Nguyễn Khánh Toàn", "Hoàng Lanh", "Tôn Thất Tùng", "Đào Duy Anh",
    "Nguyễn Văn Cừ", "Hải Triều", "Phùng Hưng", "Mạc Đĩnh Chi", "Hồ Tùng Mậu", "Nguyễn Thị Minh Khai",
    "Lương Ngọc Quyến", "Tản Đà", "Văn Cao", "Lâm Hoằng", "Phan Văn Trường", "Hoàng Thị Loan",
    "Trần Nhân Tông", "Lịch Đợi", "Phan Huy Chú", "Kiệt Trần Phú", "Lê Viết Thuật", "Nguyễn Hữu Cảnh",
    "Bến Nghé", "Ngô Thời Nhậm", "Thích Tịnh Khiết", "Vạn Xuân", "Sư Vạn Hạnh", "Phan Anh",
]

WARDS = [
    # new wards (since 1/7/2025)
    "Phú Xuân", "Thuận Hóa", "An Cựu", "Vỹ Dạ", "Thủy Xuân", "Kim Long", "Hương An", "Hóa Châu",
    "Mỹ Thượng", "Dương Nỗ", "Thuận An",
    # old wards and communes (2021-2024), still written by citizens
    "An Đông", "An Hòa", "An Tây", "Đông Ba", "Gia Hội", "Hương Long", "Hương Sơ", "Hương Vinh",
    "Phú Hậu", "Phú Hội", "Phú Nhuận", "Phú Thượng", "Phước Vĩnh", "Đúc", "Tây Lộc", "Thuận Hòa",
    "Thuận Lộc", "Thủy Biều", "Thủy Vân", "Trường An", "Vĩ Dạ", "Vĩnh Ninh", "Xuân Phú", "Hương Hồ",
    "Hải Dương", "Hương Phong", "Hương Thọ", "Phú Dương", "Phú Mậu", "Phú Thanh", "Thủy Bằng",
    "Long Hồ", "Thuỷ Xuân", "Thuận Hoà", "An Hoà",
]

LANDMARKS = [
    "chợ Đông Ba", "cầu Trường Tiền", "cầu Phú Xuân", "cầu Dã Viên", "cầu Bạch Hổ", "Đập Đá", "ga Huế",
    "bến xe phía Bắc", "bến xe phía Nam", "chùa Thiên Mụ", "cồn Hến", "hồ Tịnh Tâm",
    "công viên Thương Bạc", "công viên Tứ Tượng", "công viên Lý Tự Trọng", "Phu Văn Lâu", "Kỳ Đài",
    "trường Quốc Học", "Bệnh viện Trung ương Huế", "chợ An Cựu", "chợ Bến Ngự", "chợ Tây Lộc",
    "chợ Kim Long", "phố đi bộ Phạm Ngũ Lão", "Vincom Huế", "Aeon Mall Huế", "sân vận động Tự Do",
    "núi Ngự Bình", "cầu Gia Hội", "cầu Đông Ba", "cửa Thượng Tứ", "cửa Ngăn", "cửa Hữu",
    "chùa Từ Đàm", "nhà thờ Phủ Cam", "trường ĐH Sư phạm Huế", "cầu An Cựu", "cầu Kim Long",
    "chợ Xép", "bờ sông Như Ý", "bờ hộ thành hào", "cầu Vĩ Dạ", "chợ Vĩ Dạ", "chợ Thủy Xuân",
    "ngã sáu Hùng Vương", "vòng xoay Lê Lợi", "Trường THPT Hai Bà Trưng", "Công viên Phú Xuân",
    "khu tái định cư Hương Sơ", "siêu thị Co.opmart", "chợ Mai", "cầu Ông Ích Khiêm",
]
